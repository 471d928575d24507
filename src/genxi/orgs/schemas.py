"""The partner units API's answers."""

from ninja import Schema

from genxi.core.api_schemas import attribute, masked


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    street_code: str
    street_name: str
    contact_name: str
    contact_phone: str
    address: str
    service_area: str
    active: bool

    resolve_contact_phone = masked("contact_phone")
    resolve_street_code = attribute("region.code")
    resolve_street_name = attribute("region.name")
