"""Mainland China mobile numbers: a resident's, a pioneer's, a partner unit's contact."""


def is_valid_mobile(value: str) -> bool:
    value = value.strip()
    return len(value) == 11 and value.isdigit() and value[0] == "1" and value[1] in "3456789"
