"""Shared pieces for API schemas: the error answer every endpoint gives, and the statuses
every operation documents."""

from datetime import time
from typing import Annotated, Any, get_args

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Schema
from ninja.responses import Status
from pydantic import AfterValidator, Field, ValidationInfo, WithJsonSchema, field_validator

from .params import INT_MAX, INT_MIN
from .pii import mask_free_text
from .roles import Perm
from .scope import scope_for


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _refuse_nul(value: Any) -> Any:
    strings = value if isinstance(value, list) else [value]
    if any(isinstance(s, str) and "\x00" in s for s in strings):
        raise ValueError("must not contain the NUL character (\\x00)")
    return value


def _admits_bool(annotation: Any) -> bool:
    """Whether a field's type takes true/false: bool itself, Any, or a union with either."""
    if annotation is bool or annotation is Any:
        return True
    return any(_admits_bool(a) for a in get_args(annotation))


class NumbersNotBools(Schema):
    """A request body whose numbers are not true or false: pydantic would read
    `"quantity": true` as 1 (and `"lat": true` as 1.0), so a field that takes no bool
    refuses one (422 naming it). The intake's body (cases.schemas.CaseIn), which cleans its
    text instead of refusing NUL, is one; every InSchema is."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_another_type(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, bool):  # every field of every body: the cheap test first
            return value
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and not _admits_bool(field.annotation):
            raise ValueError("must not be true or false")
        return value


class InSchema(NumbersNotBools):
    """A request body. No string in it may hold NUL, which PostgreSQL cannot store: it is
    refused (422 naming the field) rather than reaching the database as a 500."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _refuse_nul(value)


# One string field without NUL, for a body whose other text is cleaned rather than refused
# (a lookup key such as a category code).
NoNulStr = Annotated[str, AfterValidator(_refuse_nul)]


# A whole number a database integer column holds: larger ones are refused (422) before
# they overflow the column (a 500).
Int32 = Annotated[int, Field(ge=INT_MIN, le=INT_MAX)]


# A point on the earth (WGS 84 degrees).
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


# A local time of day, answered as "14:00:00". JSON Schema's `format: time` is RFC 3339's
# full-time, which needs an offset ("14:00:00+08:00"): declare the pattern actually answered.
TimeOfDay = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?$",
            "description": "local time of day (Asia/Shanghai), HH:MM:SS",
            "example": "14:00:00",
        }
    ),
]


# Every operation can answer these: 401 without valid credentials, 422 when a parameter or
# the body does not match the schema (config/api.py answers it as ErrorOut).
ALWAYS = (401, 422)
# Operations with a body can also answer 400 (a body that is not JSON) and 403 (a session
# without its CSRF token, or an action the caller may not take).
WRITE = (400, 403)


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """An operation's `response=`: its success answers, and ErrorOut for 401, 422 and each
    status in `errors`."""
    return {**ok, **dict.fromkeys(sorted({*ALWAYS, *errors}), ErrorOut)}


def error_answer(exc: ValidationError | PermissionDenied, invalid: int = 400) -> Status:
    """The answer to a service's refusal: 403 for a permission, else `invalid` with every
    field's messages and the first one as the detail."""
    if isinstance(exc, PermissionDenied):
        return Status(403, {"detail": str(exc) or "forbidden"})
    errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    field, messages = next(iter(errors.items()))
    return Status(invalid, {"detail": f"{field}: {messages[0]}", "errors": errors})


# Where Ninja puts a parameter: these location names and the view's argument names
# (`payload`, `filters`, `pagination`...) are not the field's name as the client sent it.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def validation_error_body(errors: list[dict]) -> dict:
    """ErrorOut for Ninja's validation errors: fields named as the client sent them."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(p) for p in error.get("loc", ())]
        if loc and loc[0] in _LOCATIONS:
            loc = loc[1:]
        # The first name after the location is the view's argument when the parameter is a
        # schema (payload, filters, the pagination input); a plain parameter is its own name.
        if len(loc) > 1:
            loc = loc[1:]
        field = ".".join(loc) or "body"
        fields.setdefault(field, []).append(str(error.get("msg", "invalid")))
    if not fields:
        return {"detail": "invalid request", "errors": {}}
    field, messages = next(iter(fields.items()))
    return {"detail": f"{field}: {messages[0]}", "errors": fields}


# Resolvers shared by every app's schemas: a field answered masked, or read through a
# relation, is one line (`resolve_phone = masked("phone")`) rather than a method each time.
def masked(field: str) -> staticmethod:
    """Answer the object's personal-data `field` masked, as every page shows it."""

    def resolve(obj: Any) -> str:
        return obj.masked(field)

    return staticmethod(resolve)


def attribute(path: str) -> staticmethod:
    """Answer a value through relations (`"grid.code"`); None where a link is empty."""
    names = path.split(".")

    def resolve(obj: Any) -> Any:
        for name in names:
            if obj is None:
                return None
            obj = getattr(obj, name)
        return obj

    return staticmethod(resolve)


def free_text(field: str) -> staticmethod:
    """Answer the object's free-text `field` as typed to a caller who may reveal personal
    data, else with its phone, ID and card numbers masked (also when no request tells who
    asks: masked by default) — as the pages' `pii_text` filter shows it."""

    def resolve(obj: Any, context: Any) -> str:
        value = getattr(obj, field) or ""
        request = (context or {}).get("request")
        user = getattr(request, "user", None)
        if request is not None and scope_for(user).has(Perm.REVEAL_PII):
            return str(value)
        return mask_free_text(value)

    return staticmethod(resolve)
