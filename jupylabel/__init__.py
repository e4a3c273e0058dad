"""jupylabel: label data in notebooks with Label Studio configs, every label kept in DuckDB.

>>> import jupylabel as jl
>>> project = jl.Project.create("reviews", config=XML, db="labels.duckdb")
>>> project.import_tasks(df)
>>> project.label()
>>> df = project.to_pandas()
"""

from .config import LabelConfig, parse_config
from .errors import (ConfigError, ConflictError, DatabaseInUseError, JupylabelError, MediaError, NotFoundError,
                     ResultError, TaskDataError)
from . import models  # the ready models; each loads its libraries only when named
from .project import Project, Workspace, connect, open
from .version import __version__

__all__ = [
    "ConfigError", "ConflictError", "DatabaseInUseError", "JupylabelError", "LabelConfig", "MediaError",
    "NotFoundError", "Project", "ResultError", "TaskDataError", "Workspace", "connect", "models", "open", "parse_config",
]
