"""The units list filters by paired community through a picker of the communities the
viewer may see (names under their street), not a typed 12-digit code."""

import re

from django.urls import reverse


def test_units_filter_by_a_picked_community(client, world):
    other = world.unit(world.street_a, "U-A-9", "只结对二村的单位", pair_with=[world.a2])
    client.force_login(world.users["street"])
    body = client.get(reverse("orgs:units")).content.decode()
    picker = body[body.index('<select class="form-select form-select-sm" name="community"') :]
    picker = picker[: picker.index("</select>")]
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', picker)
    assert {code for code, _name in options} == {world.a1.code, world.a2.code}
    assert f'<optgroup label="{world.street_a.name}">' in picker
    assert world.b1.code not in picker  # another street's community is not offered
    listed = client.get(reverse("orgs:units"), {"community": world.a2.code}).content.decode()
    assert other.name in listed and "甲共建单位" not in listed
