"""Notice numbers under concurrency (PostgreSQL): inspectors signing off at once in one street
take consecutive numbers, with no gap and no duplicate; another street counts on its own."""

import pytest
from django.utils import timezone

from genxi.core.testing.race import needs_postgres, race
from genxi.inspections import services
from genxi.inspections.domain.rules import gaps
from genxi.inspections.models import Notice, NoticeCounter

from .helpers import answer_all, round_, signature, target

N = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_notices_issued_side_by_side_are_numbered_without_gaps_or_duplicates(world):
    needs_postgres()
    worker, outsider = world.users["community"], world.users["outsider"]
    r_a = round_(
        world,
        [target(world, f"彩香商铺{i}", kind="shop") for i in range(N)],
        code="shop-fire-safety",
        title="商铺消防检查",
    )
    r_b = round_(
        world,
        [target(world, f"观景商铺{i}", kind="shop", community=world.b1) for i in range(2)],
        code="shop-fire-safety",
        title="观景商铺消防检查",
        street=world.street_b,
    )
    jobs = []
    for r, actor in ((r_a, worker), (r_b, outsider)):
        for inspection in r.inspections.all():
            answer_all(inspection, actor, fail={5})  # banners: no photo needed
            jobs.append((inspection, actor))
    calls = [
        lambda i=i, a=a: services.inspection_finish(
            actor=a, inspection=i, ack_name="店主", signature=signature()
        )
        for i, a in jobs
    ]
    outcome = race(calls)
    assert not outcome.errors and not outcome.refused
    year = timezone.localdate().year
    seqs_a = sorted(Notice.objects.filter(street=world.street_a).values_list("seq", flat=True))
    seqs_b = sorted(Notice.objects.filter(street=world.street_b).values_list("seq", flat=True))
    assert seqs_a == list(range(1, N + 1)) and gaps(seqs_a) == []
    assert seqs_b == [1, 2]
    assert NoticeCounter.objects.get(street=world.street_a, year=year).last == N
    numbers = list(Notice.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers) == N + 2
