"""Logs a machine can read: one JSON object per line (`GENXI_LOG_FORMAT=json`, the default
under production settings), each carrying the id of the request it was written in.

    {"ts": "2026-12-02T14:40:01.123+08:00", "level": "INFO", "logger": "genxi.request",
     "msg": "POST cases:new 302", "request_id": "5f0c…", "http": {"route": "cases:new",
     "status": 302, "duration_ms": 41.2, "user_id": 17, …}}

The request id comes from nginx (`X-Request-ID`, `$request_id`) when it is well formed, so
a line in nginx's log and the app's lines of the same request share it; else it is made
here. Nothing personal is logged: user ids, route names and statuses, not paths with codes
or parameters.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import datetime

REQUEST_LOG = logging.getLogger("genxi.request")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_WELL_FORMED = re.compile(r"[A-Za-z0-9-]{8,64}")


def start_request(given: str | None) -> str:
    request_id = given if given and _WELL_FORMED.fullmatch(given) else uuid.uuid4().hex
    _request_id.set(request_id)
    return request_id


def end_request() -> None:
    _request_id.set("")


def current_request_id() -> str:
    return _request_id.get()


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created)
            .astimezone()
            .isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id:
            line["request_id"] = request_id
        http = getattr(record, "http", None)
        if http:
            line["http"] = http
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
