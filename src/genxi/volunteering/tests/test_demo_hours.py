"""The demo's volunteer hours: a year for 金阊街道's pioneers, fast, and loaded once."""

import time

from genxi.core.stats import headline_counts
from genxi.demo.loader import DemoLoader
from genxi.demo.volunteering import load_volunteering
from genxi.regions.models import Region
from genxi.volunteering.models import HoursRecord, HoursStatus


def test_demo_hours(db, monkeypatch):
    timed = {}

    def timed_load():
        started, cpu = time.perf_counter(), time.process_time()
        found = load_volunteering()
        timed["seconds"] = time.perf_counter() - started
        timed["cpu"] = time.process_time() - cpu  # SQLite runs in-process: counted here
        return found

    monkeypatch.setattr("genxi.demo.loader.load_volunteering", timed_load)
    first = DemoLoader().run()
    print(
        f"demo volunteering: {timed['seconds']:.2f} s wall, {timed['cpu']:.2f} s CPU, "
        f"{first.get('hours_records')} records"
    )
    assert timed["cpu"] < 10  # wall time depends on the shared machine's load
    street = Region.objects.get(name="金阊街道")
    records = HoursRecord.objects.filter(community__path__startswith=street.path)
    assert records.values("pioneer").distinct().count() == 625
    assert set(records.values_list("source", flat=True)) >= {"event", "manual"}
    assert records.filter(status=HoursStatus.PROPOSED, community__code="320508012001").exists()
    confirmed = records.filter(status=HoursStatus.CONFIRMED)
    assert confirmed.count() > records.count() * 0.8
    hours = headline_counts([street])["金阊街道"]["volunteer_hours"]
    assert hours == float(sum(r.hours for r in confirmed))
    assert load_volunteering() == {}  # a second load adds nothing
