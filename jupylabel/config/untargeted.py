"""Controls written without a ``toName`` that become controls once the whole config is known.

Label Studio's editor (``Tree.extractNames``) gives every named tag without a ``toName`` the
name of the config's object tag when there is exactly one; with none or several it stays
unbound, and its editor can store nothing for it (``createResult`` needs the object). A Rating
or a DateTime is read as an unknown tag first (``ControlTag.UNKNOWN_WITHOUT_TONAME``, since a
tag is built before its config is); this pass, run once the tree is built, makes it the control
it is when there is one object to label, and ``ControlTag.check`` then binds it.
"""

from __future__ import annotations

from .tags import Tag, UnknownTag


def bind_lone_controls(root: Tag) -> Tag:
    """``root`` with each unbound control made a control when the config has one object tag."""
    objects = [t for t in root.walk() if t.kind == "object" and t.name]
    if len(objects) != 1:
        return root
    return _bound(root)


def _bound(node: Tag) -> Tag:
    node.children = [_bound(child) for child in node.children]
    if isinstance(node, UnknownTag) and node.unbound is not None:
        cls, raw_attrs = node.unbound
        return cls.from_element_unbound(node.tag, raw_attrs, node.line, node.children, node.text)
    return node
