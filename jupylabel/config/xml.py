"""Safe parsing of a labeling config's XML.

A config is untrusted input (it travels in files, over the REST API and inside shared
notebooks), so the parser never loads a DTD, never resolves an entity, never touches the
network, and caps size, depth, element and attribute count before anything reaches the widget. lxml's own
limits (``huge_tree=False``) stay on. Any DOCTYPE is refused outright: lxml parses
``<!DOCTYPE View SYSTEM "http://…">`` without complaint, so the check has to be ours.
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import ConfigError

MAX_BYTES = 512 * 1024
MAX_DEPTH = 32
MAX_ELEMENTS = 10_000
MAX_ATTRIBUTES = 100
"""Per element; Label Studio's tags have a few dozen at most."""

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers are not thread-safe, and the server parses in threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def parse_xml(source: str | bytes) -> etree._Element:
    """Parse config XML into an lxml element tree, or raise :class:`ConfigError`.

    ``str`` input has its XML declaration dropped and is encoded as UTF-8 (lxml refuses a
    ``str`` that declares an encoding); ``bytes`` go to libxml2 as they are, so a BOM or a
    declared encoding is honoured.
    """
    if source is None:
        raise ConfigError("the config is empty (got None)")
    if isinstance(source, str):
        data = _XML_DECLARATION.sub("", source, count=1).encode("utf-8")
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        raise ConfigError(f"the config must be XML text, not {type(source).__name__}")
    if not data.strip():
        raise ConfigError("the config is empty")
    if len(data) > MAX_BYTES:
        raise ConfigError(f"the config is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    if b"\x00" in data:
        raise ConfigError("the config contains a NUL byte", line=data[: data.index(b"\x00")].count(b"\n") + 1)
    if re.search(rb"<!DOCTYPE", data, re.IGNORECASE):
        line = data[: re.search(rb"<!DOCTYPE", data, re.IGNORECASE).start()].count(b"\n") + 1
        raise ConfigError("a DOCTYPE is not allowed in a labeling config", element="!DOCTYPE", line=line)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        msg = exc.msg if hasattr(exc, "msg") and exc.msg else str(exc)
        position = getattr(exc, "position", None) or (None, None)
        raise ConfigError(f"malformed XML: {msg}", line=getattr(exc, "lineno", None),
                          column=position[1] or None) from None
    except ValueError as exc:  # e.g. an encoding lxml cannot use
        raise ConfigError(f"malformed XML: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise ConfigError("a DOCTYPE is not allowed in a labeling config", element="!DOCTYPE", line=1)
    _check_shape(root)
    return root


def _check_shape(root: etree._Element) -> None:
    count = 0
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if isinstance(el, etree._Entity):
            raise ConfigError("entity references are not allowed", line=el.sourceline)
        if not isinstance(el.tag, str):
            continue
        count += 1
        if count > MAX_ELEMENTS:
            raise ConfigError(f"the config has more than {MAX_ELEMENTS:,} elements",
                              element=el.tag, line=el.sourceline)
        if depth > MAX_DEPTH:
            raise ConfigError(f"elements are nested more than {MAX_DEPTH} deep",
                              element=el.tag, line=el.sourceline)
        if len(el.attrib) > MAX_ATTRIBUTES:
            raise ConfigError(f"an element has more than {MAX_ATTRIBUTES} attributes",
                              element=el.tag, line=el.sourceline)
        stack.extend((child, depth + 1) for child in el)
