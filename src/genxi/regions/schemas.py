"""The grids API's answers."""

from typing import Any

from ninja import Schema

from .models import Region


class GridOut(Schema):
    id: int
    code: str
    name: str
    community_code: str
    community_name: str
    households: int | None = None
    geometry: dict[str, Any] | None = None

    @staticmethod
    def resolve_community_code(obj: Region) -> str:
        return obj.parent.code

    @staticmethod
    def resolve_community_name(obj: Region) -> str:
        return obj.parent.name
