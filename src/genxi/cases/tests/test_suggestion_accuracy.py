"""类别建议准确率 on the metrics page (issue #16): per month of the last six and per top-level
category, the suggestions made, accepted (the dispatcher kept the first suggestion) and
corrected, over the viewer's cases only; named, never coded; "—" where nothing to count."""

import re
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from genxi.cases import services, suggestions
from genxi.cases.models import Case, CaseSuggestion, Category

NOW = timezone.make_aware(datetime(2026, 12, 15, 12, 0))


def _case(world, grid):
    return services.case_create(actor=None, channel="phone", text="楼道里堆满了杂物", region=grid)


def _record(case, suggested, chosen, when):
    CaseSuggestion.objects.create(
        case=case,
        suggested=suggested,
        confidence=0.7 if suggested else None,
        chosen=Category.objects.get(code=chosen),
        created_at=when,
    )


def _rows(world, when_dec, when_oct, when_old):
    inside, outside = _case(world, world.grid_a1), _case(world, world.grid_b1)
    for suggested, chosen in [("ENV", "ENV.02"), ("ENV", "ENV"), ("FAC", "ENV.01")]:
        _record(inside, suggested, chosen, when_dec)  # ENV: 2 kept, 1 corrected from FAC
    _record(inside, "FAC", "FAC.02", when_dec)  # FAC: 1 kept
    _record(inside, "", "FAC.02", when_dec)  # no model then: no suggestion made
    _record(inside, "ENV", "PROP.01", when_oct)  # PROP: corrected, in October
    _record(inside, "ENV", "ENV.02", when_old)  # June: older than six months
    for _ in range(3):
        _record(outside, "ENV", "ENV.02", when_dec)  # another street's case


def test_counts_per_month_and_category_in_the_viewers_scope(loop):
    _rows(
        loop,
        timezone.make_aware(datetime(2026, 12, 3, 9)),
        timezone.make_aware(datetime(2026, 10, 20, 9)),
        timezone.make_aware(datetime(2026, 6, 20, 9)),
    )
    scope = Case.objects.visible_to(loop.users["street"])
    table = suggestions.accuracy_table(scope, now=NOW)
    assert [month for month, _, _ in table] == [date(2026, m, 1) for m in (12, 11, 10, 9, 8, 7)]
    dec, nov, oct_ = table[0], table[1], table[2]
    by_code = {row.category: row for row in dec[2]}
    assert (by_code["ENV"].made, by_code["ENV"].accepted, by_code["ENV"].corrected) == (3, 2, 1)
    assert by_code["ENV"].percent == 66.7
    assert (by_code["FAC"].made, by_code["FAC"].accepted, by_code["FAC"].percent) == (1, 1, 100.0)
    assert (dec[1].made, dec[1].accepted, dec[1].corrected) == (4, 3, 1)  # not 7: scoped
    assert nov[2] == [] and nov[1].made == 0 and nov[1].percent is None
    assert [(r.category, r.made, r.accepted, r.percent) for r in oct_[2]] == [("PROP", 1, 0, 0.0)]
    # The other street's admin sees only its own three, all kept.
    other = suggestions.accuracy_table(Case.objects.visible_to(loop.users["outsider"]), now=NOW)
    assert [(r.category, r.made, r.accepted) for r in other[0][2]] == [("ENV", 3, 3)]


def test_the_metrics_page_shows_names_and_figures(client, loop):
    now = timezone.now()
    _rows(loop, now, now, now.replace(year=now.year - 1))
    client.force_login(loop.users["street"])
    body = client.get(reverse("cases:metrics")).content.decode()
    section = body[body.index('id="suggestion-accuracy"') :]
    section = section[: section.index("</details>")]
    assert "类别建议准确率" in section
    cells = [
        re.sub(r"<[^>]+>", "", row).split("|")
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", section.replace("</td><td", "</td>|<td"))
    ]
    cells = [[c.strip() for c in row] for row in cells if len(row) == 7]  # + 自动分派
    month = f"{timezone.localtime(now):%Y-%m}"
    assert [month, "全部类别", "5", "3", "2", "60.0%", "0"] in cells  # 4 + the PROP correction
    assert ["", "市容环境", "3", "2", "1", "66.7%", "0"] in cells
    assert ["", "设施维修", "1", "1", "0", "100.0%", "0"] in cells
    assert not re.search(r">\s*(ENV|FAC|PROP)\s*<", section)  # names, never codes
    assert "—" in section  # the months without suggestions
