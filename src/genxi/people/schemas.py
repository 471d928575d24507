"""The pioneers and residents API's answers (personal data masked)."""

from ninja import Schema

from .models import Pioneer, Resident


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

    @staticmethod
    def resolve_phone(obj: Pioneer) -> str:
        return obj.masked("phone")

    @staticmethod
    def resolve_grid_code(obj: Pioneer) -> str:
        return obj.grid.code

    @staticmethod
    def resolve_grid_name(obj: Pioneer) -> str:
        return obj.grid.name


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

    @staticmethod
    def resolve_phone(obj: Resident) -> str:
        return obj.masked("phone")

    @staticmethod
    def resolve_id_number(obj: Resident) -> str:
        return obj.masked("id_number")

    @staticmethod
    def resolve_address(obj: Resident) -> str:
        return obj.masked("address")

    @staticmethod
    def resolve_grid_code(obj: Resident) -> str:
        return obj.grid.code
