"""The notebook widgets and the labeling protocol they speak."""

from .labeler import LabelWidget
from .session import LabelSession, RequestError

__all__ = ["LabelSession", "LabelWidget", "RequestError"]
