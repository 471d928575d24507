"""The grids API's answers."""

from typing import Any

from ninja import Schema

from genxi.core.api_schemas import attribute


class GridOut(Schema):
    id: int
    code: str
    name: str
    community_code: str
    community_name: str
    households: int | None = None
    geometry: dict[str, Any] | None = None

    resolve_community_code = attribute("parent.code")
    resolve_community_name = attribute("parent.name")
