"""The four-level party tree: each organisation's own roll and the distinct people on its
roll and below; the first two levels open, the rest folded."""

import re

from django.urls import reverse

from genxi.orgs.models import PartyLevel, PartyMember, PartyOrg


def test_party_tree_counts_members_once_and_folds(client, world):
    street = PartyOrg.objects.get(name="金阊大工委")
    regional = PartyOrg.objects.create(
        level=PartyLevel.REGIONAL_COMMITTEE,
        name="金阊第1区域党委",
        region=world.street_a,
        parent=street,
    )
    committee = PartyOrg.objects.create(
        level=PartyLevel.COMMUNITY_COMMITTEE,
        name="彩香一村大党委",
        region=world.a1,
        parent=regional,
    )
    branch = PartyOrg.objects.create(
        level=PartyLevel.GRID_BRANCH, name="第1网格党支部", region=world.grid_a1, parent=committee
    )
    wang = world.pioneer(world.grid_a1, "P-1", "王党员")
    PartyMember.objects.create(org=committee, name="王党员", position="委员", pioneer=wang)
    PartyMember.objects.create(org=branch, name="王党员", position="党员", pioneer=wang)
    PartyMember.objects.create(org=branch, name="李党员", position="党员")
    client.force_login(world.users["street"])
    body = client.get(reverse("orgs:party")).content.decode()
    counts = [
        " ".join(c.split())
        for c in re.findall(r'<span class="text-muted small party-counts">(.*?)</span>', body, re.S)
    ]
    assert "本级 0 人 · 共 2 名党员" in counts[0]  # the street: 王 counted once
    assert "本级 1 人 · 共 2 名党员" in counts[2]  # the community committee
    assert counts[3].endswith("2 名党员") and "本级" not in counts[3]  # the branch
    assert "<details open><summary>金阊大工委" in body
    assert "<details open><summary>金阊第1区域党委" in body
    assert "<details><summary>彩香一村大党委" in body  # the third level starts folded
