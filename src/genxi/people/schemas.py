"""The pioneers and residents API's answers (personal data masked)."""

from ninja import Schema

from genxi.core.api_schemas import attribute, masked


class PioneerOut(Schema):
    id: int
    code: str
    name: str
    phone: str
    kind: str
    job: str
    grid_code: str
    grid_name: str
    skills: list[str]
    availability: str
    active: bool

    resolve_phone = masked("phone")
    resolve_grid_code = attribute("grid.code")
    resolve_grid_name = attribute("grid.name")


class ResidentOut(Schema):
    id: int
    name: str
    phone: str
    id_number: str
    address: str
    building: str
    grid_code: str
    tags: list[str]
    legal_basis: str

    resolve_phone = masked("phone")
    resolve_id_number = masked("id_number")
    resolve_address = masked("address")
    resolve_grid_code = attribute("grid.code")
