"""Shared pieces for API schemas: the error answer every endpoint gives."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Schema


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def error_answer(exc: ValidationError | PermissionDenied, invalid: int = 400) -> tuple[int, dict]:
    """(status, body) for a service's refusal: 403 for a permission, else `invalid` with
    every field's messages and the first one as the detail."""
    if isinstance(exc, PermissionDenied):
        return 403, {"detail": str(exc) or "forbidden"}
    errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    field, messages = next(iter(errors.items()))
    return invalid, {"detail": f"{field}: {messages[0]}", "errors": errors}
