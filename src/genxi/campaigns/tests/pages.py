"""The readable routes of the campaigns (core/testing/page_matrix.py): the list, a new
campaign's form, a campaign's page, its edit form, a community's outputs form and the
Excel export. Each side's campaign runs in the side's community only, so a community's
worker sees its own and nothing of the community next door."""

from datetime import date

from django.urls import reverse

from genxi.campaigns import services
from genxi.core.testing.page_matrix import Page

LIST_READERS = ("system_admin", "street", "community", "grid", "unit", "outsider", "department")
READERS = ("system_admin", "street", "community", "department")
# Those who see the campaign but do not run it (edit) or record for it are refused.
REFUSED = {"system_admin": 403, "department": 403, "community": 403}
RECORD_REFUSED = {"system_admin": 403, "department": 403}
POST_ONLY = {"*": 405}


def seed(side):
    """A running campaign of the side's street in the side's community, with its outputs."""
    campaign = services.campaign_create(
        actor=side.staff,
        street=side.street,
        topic="legal",
        title=f"{side.tag}法治宣传",
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 30),
        channels=["onsite", "door"],
        communities=[side.community],
        description=f"{side.tag}宣传说明",
    )
    services.campaign_start(actor=side.staff, campaign=campaign)
    services.part_record(
        actor=side.worker,
        part=campaign.parts.get(),
        consultations=7,
        reached={"onsite": 40, "door": 12},
        handouts=[(f"{side.tag}宣传单", "份", 60)],
        notes=f"{side.tag}备注",
    )
    return {"campaign": campaign}


PAGES = {
    "campaigns:campaigns": Page(lambda s: reverse("campaigns:campaigns"), LIST_READERS),
    "campaigns:new": Page(lambda s: reverse("campaigns:new"), ("street", "outsider")),
    "campaigns:campaign": Page(
        lambda s: reverse("campaigns:campaign", args=[s.campaign.pk]), READERS
    ),
    "campaigns:edit": Page(
        lambda s: reverse("campaigns:edit", args=[s.campaign.pk]),
        ("street",),
        answers=REFUSED,
        near={"community": 404},
        outside={"department": 404, "community": 404},
    ),
    "campaigns:record": Page(
        lambda s: reverse("campaigns:record", args=[s.campaign.pk, s.community.code]),
        ("street", "community"),
        answers=RECORD_REFUSED,
        outside={"department": 404},
    ),
    "campaigns:export": Page(lambda s: reverse("campaigns:export", args=[s.campaign.pk]), READERS),
    "campaigns:act": Page(
        lambda s: reverse("campaigns:act", args=[s.campaign.pk, "start"]), answers=POST_ONLY
    ),
}
