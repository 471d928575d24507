"""The partner units API's answers."""

from ninja import Schema

from .models import PartnerUnit


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

    @staticmethod
    def resolve_contact_phone(obj: PartnerUnit) -> str:
        return obj.masked("contact_phone")

    @staticmethod
    def resolve_street_code(obj: PartnerUnit) -> str:
        return obj.region.code

    @staticmethod
    def resolve_street_name(obj: PartnerUnit) -> str:
        return obj.region.name
