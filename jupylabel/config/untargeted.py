"""Controls written without a ``toName`` that become controls once the whole config is known.

Label Studio's editor (``Tree.extractNames``) gives every named tag without a ``toName`` the
name of the config's object tag when there is exactly one; with none or several it stays
unbound, and its editor stores nothing for it (``createResult`` needs the object). Its server
accepts such a config unless its schema requires the toName (Choices, Labels, TextArea,
Number: ``tags.base.TONAME_REQUIRED``). So a control without one is read as an unknown tag
first (``ControlTag.from_element``, since a tag is built before its config is), and this pass,
run once the tree is built, makes it the control it is when there is one object to label
(``ControlTag.check`` then binds it and says so); beside none or several it stays unknown, not
drawn, with a warning.
"""

from __future__ import annotations

from .tags import Tag, UnknownTag


def bind_lone_controls(root: Tag) -> Tag:
    """``root`` with each unbound control made a control when the config has one object tag."""
    objects = [t for t in root.walk() if t.kind == "object" and t.name]
    if len(objects) == 1:
        return _bound(root)
    for node in root.walk():
        if isinstance(node, UnknownTag) and node.unbound is not None:
            node.warnings.append(
                f"<{node.tag}> {node.name!r} on line {node.line}: has no toName and the config has "
                f"{len(objects) or 'no'} object tag{'' if len(objects) == 1 else 's'}: Label Studio "
                "cannot tell what it labels and stores nothing for it; jupylabel does not draw it")
    return root


def _bound(node: Tag) -> Tag:
    node.children = [_bound(child) for child in node.children]
    if isinstance(node, UnknownTag) and node.unbound is not None:
        cls, raw_attrs = node.unbound
        return cls.from_element_unbound(node.tag, raw_attrs, node.line, node.children, node.text)
    return node
