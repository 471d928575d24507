"""Plain-text hygiene for what people type: no control characters in stored text, and
nothing an XML 1.0 document cannot hold in what is rendered as XML."""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL; C1 controls; lone
# surrogates; the two non-characters at the end of the basic plane.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What XML 1.0 does not allow at all (C1 controls are allowed, only discouraged).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def strip_control(value: str) -> str:
    """`value` without control characters (tab, line feed and carriage return stay)."""
    return _CONTROL.sub("", value)


def xml_safe(value: str) -> str:
    """`value` without the characters that would make an XML 1.0 document ill-formed."""
    return _XML_INVALID.sub("", value)
