from django.contrib import admin

from genxi.core.admin import ScopedAdmin

from .models import Pairing, PartnerUnit, PartyMember, PartyOrg


@admin.register(PartyOrg)
class PartyOrgAdmin(ScopedAdmin):
    list_display = ("name", "level", "region", "secretary")
    list_filter = ("level",)
    search_fields = ("name",)
    raw_id_fields = ("parent", "region")
    filter_horizontal = ("communities", "member_units")


@admin.register(PartyMember)
class PartyMemberAdmin(ScopedAdmin):
    list_display = ("name", "position", "org")
    search_fields = ("name",)
    raw_id_fields = ("org", "pioneer")


@admin.register(PartnerUnit)
class PartnerUnitAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "region", "contact_name", "masked_contact_phone")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    raw_id_fields = ("region",)


@admin.register(Pairing)
class PairingAdmin(ScopedAdmin):
    list_display = ("unit", "community", "since")
    raw_id_fields = ("unit", "community")
