"""Label Studio labeling configs: safe parsing, one class per tag, ``$variable`` resolution,
result validation and the interface spec the front end draws."""

from ..errors import ConfigError
from .model import DataRequirement, LabelConfig, parse_config
from .tags import REGISTRY, ControlTag, ItemTag, ObjectTag, Tag, register

__all__ = ["REGISTRY", "ConfigError", "ControlTag", "DataRequirement", "ItemTag", "LabelConfig",
           "ObjectTag", "Tag", "parse_config", "register"]
