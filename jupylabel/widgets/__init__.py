"""The notebook widget; the labeling protocol it carries is ``jupylabel.labeling``."""

from .labeler import LabelWidget

__all__ = ["LabelWidget"]
