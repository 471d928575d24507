"""Services of the loop: intake and placement, each transition with its rules, history,
audit, notifications, deadlines and photos."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from PIL import Image

from genxi.cases import services
from genxi.cases.models import Case, CaseEvent, CaseState, Category, TrainingExample
from genxi.core.models import AuditEvent, Notification
from genxi.core.testing.images import jpeg_with_gps


def _new(world, **kw):
    kw.setdefault("text", "彩香新村5幢楼道里堆满了杂物")
    kw.setdefault("lat", 31.321)
    kw.setdefault("lon", 120.591)
    return services.case_create(actor=world.users["community"], channel="phone", **kw)


def _act(world, who, case, action, **fields):
    return services.case_act(actor=world.users[who], case=case, action=action, **fields)


def test_intake_places_by_point(loop):
    case = _new(loop)
    assert case.region == loop.grid_a1 and case.state == CaseState.SUBMITTED
    assert len(case.code) == 10 and case.respond_by > case.created_at
    first = case.events.get()
    assert first.action == "submit" and first.data["placed_by"] == "point"
    assert AuditEvent.objects.filter(verb="case.create", target_id=str(case.pk)).exists()
    # The community's workers are told.
    assert Notification.objects.filter(user=loop.users["community"], subject_id=case.pk).exists()


def test_intake_places_by_address_then_by_reporter(loop):
    loop.building(loop.grid_a1b, "彩香新村", "12")
    resident = loop.resident(loop.grid_a1b)
    by_address = _new(loop, lat=None, lon=None, address="姑苏区彩香新村12栋3单元")
    assert by_address.region == loop.grid_a1b and by_address.place_key == "彩香新村12幢"
    by_reporter = _new(loop, lat=None, lon=None, address="", reporter=resident)
    assert by_reporter.region == loop.a1  # the reporter's community
    with pytest.raises(ValidationError) as err:
        _new(loop, lat=None, lon=None, address="火星基地")
    assert "address" in err.value.message_dict
    assert Case.objects.count() == 2


def test_bad_input_names_the_field_and_writes_nothing(loop):
    for kwargs, field in [
        ({"text": "短"}, "text"),
        ({"urgency": "now"}, "urgency"),
        ({"lat": 31.3, "lon": None}, "lat"),
    ]:
        with pytest.raises(ValidationError) as err:
            _new(loop, **kwargs)
        assert field in err.value.message_dict
    assert not Case.objects.exists() and not AuditEvent.objects.filter(verb="case.create").exists()


def test_full_loop_with_history_counters_and_rating(loop):
    case = _new(loop)
    env = Category.objects.get(code="ENV.02")
    _act(loop, "community", case, "accept", category=env)
    _act(loop, "community", case, "dispatch", handler=loop.objs["worker"])
    _act(loop, "grid", case, "return", reason="不在我的网格")
    _act(loop, "community", case, "dispatch", handler=loop.objs["worker"])
    _act(loop, "grid", case, "take")
    _act(loop, "grid", case, "request_extension", days=3, reason="需要物业配合")
    old_deadline = Case.objects.get(pk=case.pk).resolve_by
    _act(loop, "street", case, "approve_extension")
    _act(loop, "grid", case, "resolve", result="已联系物业清理")
    _act(loop, "community", case, "send_back", reason="还有两箱没清")
    _act(loop, "grid", case, "take")
    _act(loop, "grid", case, "resolve", result="全部清理完毕", photos=[jpeg_with_gps()])
    _act(loop, "community", case, "verify")
    services.case_rate_by_reporter(
        code=case.code, secret=case.reporter_secret, rating="satisfied", comment="很快"
    )
    case = _act(loop, "community", case, "close")
    assert case.state == CaseState.CLOSED
    assert (case.returns, case.extensions, case.reworks) == (1, 1, 1)
    assert case.resolve_by > old_deadline
    actions = list(case.events.values_list("action", flat=True))
    assert actions == [
        "submit", "accept", "dispatch", "return", "dispatch", "take", "request_extension",
        "approve_extension", "resolve", "send_back", "take", "resolve", "verify", "rate", "close",
    ]  # fmt: skip
    seqs = list(case.events.values_list("seq", flat=True))
    assert seqs == list(range(1, len(actions) + 1))
    # The dispatcher's category is a training example now.
    assert TrainingExample.objects.filter(case=case, source="dispatcher").exists()


def test_only_the_right_people_act(loop):
    case = _new(loop)
    with pytest.raises(PermissionDenied):
        _act(loop, "grid", case, "accept")  # a grid worker does not dispatch
    with pytest.raises(PermissionDenied):
        _act(loop, "community2", case, "accept")  # another community's worker
    _act(loop, "community", case, "accept")
    _act(loop, "community", case, "dispatch", handler=loop.objs["worker"])
    with pytest.raises(PermissionDenied):
        _act(loop, "community", case, "take")  # only the handler takes
    with pytest.raises(ValidationError) as err:
        _act(loop, "community", case, "accept")
    assert "action" in err.value.message_dict  # wrong state, said in words
    with pytest.raises(ValidationError) as err:
        _act(loop, "community", case, "transfer")
    assert "handler" in err.value.message_dict


def test_closed_case_reopens_only_after_unsatisfied(loop):
    case = _new(loop)
    for who, action, fields in [
        ("community", "accept", {}),
        ("community", "dispatch", {"handler": loop.objs["worker"]}),
        ("grid", "take", {}),
        ("grid", "resolve", {"result": "已处理"}),
        ("community", "verify", {}),
        ("community", "rate", {"rating": "unsatisfied"}),
        ("community", "close", {}),
    ]:
        _act(loop, who, case, action, **fields)
    with pytest.raises(PermissionDenied):
        _act(loop, "community", case, "reopen", reason="居民不满意")
    case = _act(loop, "street", case, "reopen", reason="居民不满意,重新处理")
    assert case.state == CaseState.DISPATCHED and case.rating == "" and case.reworks == 1


def test_merge_follows_master(loop):
    master = _new(loop)
    twin = _new(loop, text="彩香新村5幢楼道堆了很多杂物")
    with pytest.raises(ValidationError):
        _act(loop, "community", twin, "merge", master=twin)
    twin = _act(loop, "community", twin, "merge", master=master)
    assert twin.state == CaseState.MERGED and twin.master == master


def test_flagged_cases_come_first(loop):
    from genxi.cases.selectors import case_list

    old = _new(loop)
    _new(loop, text="另一件事:路灯坏了很久了")
    _act(loop, "street", old, "flag", reason="群众反映强烈")
    first = case_list(user=loop.users["street"], queue="all").first()
    assert first.pk == old.pk and first.flagged


def test_overdue_cases_notify_the_supervisor_once(loop):
    case = _new(loop)
    Case.objects.filter(pk=case.pk).update(resolve_by=timezone.now() - timedelta(hours=1))
    assert services.notify_overdue() == 1
    assert services.notify_overdue() == 0
    assert Notification.objects.filter(user=loop.users["street"], verb="overdue").count() == 1


def test_photos_lose_their_exif_and_get_thumbnails(loop):
    case = _new(loop, photos=[jpeg_with_gps()])
    photo = case.photos.get()
    with photo.image.open("rb") as fh:
        image = Image.open(fh)
        assert not image.getexif()
        assert image.size == (800, 600)
    with photo.thumbnail.open("rb") as fh:
        assert max(Image.open(fh).size) == 320
    bad = jpeg_with_gps()
    bad.seek(0)
    bad = type(bad)(b"not an image at all")
    bad.name, bad.size = "x.jpg", 19
    with pytest.raises(ValidationError) as err:
        _new(loop, photos=[bad])
    assert "photos" in err.value.message_dict


def test_history_cannot_skip_numbers(loop):
    case = _new(loop)
    _act(loop, "community", case, "accept")
    assert list(CaseEvent.objects.filter(case=case).values_list("seq", flat=True)) == [1, 2]


def test_an_unsure_address_says_what_it_could_be(loop):
    loop.building(loop.grid_a1, "彩香一村花园", "4")
    loop.building(loop.grid_a1b, "彩香新村", "4")
    with pytest.raises(ValidationError) as err:
        _new(loop, lat=None, lon=None, address="4幢")
    assert "彩香一村花园4幢、彩香新村4幢" in err.value.message_dict["address"][0]
    with pytest.raises(ValidationError) as err:
        _new(loop, lat=None, lon=None, address="彩香新材4幢")
    assert "您要找的是不是" in err.value.message_dict["address"][0]
    assert _new(loop, lat=None, lon=None, address="彩香新村4栋").region == loop.grid_a1b


@pytest.mark.skipif(connection.vendor != "postgresql", reason="HOT updates: PostgreSQL")
def test_a_second_intake_at_the_same_place_updates_the_roll_ups_in_place(loop):
    """Decision 0041: no index holds a count an intake adds to, and the roll-up tables keep
    room on their pages, so the upserts of a second case at the same place, category,
    channel and day are HOT updates (no new index entries; a busy row's dead versions are
    pruned as its page is read). Counted by PostgreSQL for this transaction alone."""
    tables = ("cases_caserollup", "cases_casemonthrollup", "cases_casebinrollup")

    def counts() -> dict[str, tuple[int, int]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables"
                " WHERE relname = ANY(%s)",
                [list(tables)],
            )
            return {name: (upd, hot) for name, upd, hot in cursor.fetchall()}

    def intake() -> None:
        services.case_create(
            actor=loop.users["community"],
            channel="phone",
            category=Category.objects.get(code="ENV"),
            text="楼道堆满杂物无法通行",
            lat=31.321,
            lon=120.591,
        )

    intake()
    before = counts()
    intake()
    after = counts()
    for table in tables:
        updates = after[table][0] - before.get(table, (0, 0))[0]
        hot = after[table][1] - before.get(table, (0, 0))[1]
        assert updates >= 1, table  # the second case counted in the first one's row
        assert hot == updates, table


def test_intake_writes_the_case_its_history_audit_and_roll_up_in_one_statement(loop):
    """PostgreSQL: one statement and no transaction around it, the inbox messages in it
    (core.db.insert_with_children, atomic_unless_one); SQLite: the same rows one by one in a
    transaction. Either way every row names the new case."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from genxi.cases.models import CaseRollup
    from genxi.core.models import Notification

    before = dict(CaseRollup.objects.values_list("key", "received"))
    with CaptureQueriesContext(connection) as q:
        case = services.case_create(
            actor=loop.users["community"],
            channel="phone",
            text="楼道堆满杂物无法通行",
            lat=31.321,  # placed at grid_a1 by its point: its map square counts it too
            lon=120.591,
        )
    assert case.region == loop.grid_a1
    sent = [x["sql"] for x in q.captured_queries]
    # A transaction shows as BEGIN, or as a SAVEPOINT inside the test's own transaction.
    writes = [s for s in sent if s.split()[0] in ("INSERT", "WITH", "UPDATE", "BEGIN", "COMMIT")]
    writes += [s for s in sent if "SAVEPOINT" in s]
    if connection.vendor == "postgresql":
        [intake] = writes
        assert intake.startswith("WITH p AS (INSERT INTO")
        for table in (
            "cases_caseevent",
            "core_auditevent",
            "cases_caserollup",
            "cases_casebinrollup",
            "core_notification",
        ):
            assert f'INSERT INTO "{table}"' in intake
    event = CaseEvent.objects.get(case=case)
    assert (event.seq, event.action) == (1, "submit")
    assert [(e.case_id, e.seq) for e in case.history] == [(case.pk, 1)]
    audited = AuditEvent.objects.get(verb="case.create")
    assert audited.target_id == str(case.pk) and audited.after["code"] == case.code
    told = Notification.objects.filter(verb="submit")
    assert {n.user_id for n in told} == {loop.users["community"].pk}
    assert {n.subject for n in told} == {case}
    after = dict(CaseRollup.objects.values_list("key", "received"))
    changed = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
    assert list(changed.values()) == [1]


def test_intake_with_an_outside_channel_writes_its_deliveries_in_one_transaction(loop, settings):
    """An outside channel's delivery rows need the inbox messages' ids: the messages are
    written after the case, in the same transaction, and their deliveries queued."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from genxi.core.models import Notification, NotificationDelivery

    settings.GENXI_NOTIFY_CHANNELS = ["genxi.core.notifications.channels.EmailChannel"]
    with CaptureQueriesContext(connection) as q:
        case = services.case_create(
            actor=loop.users["community"],
            channel="phone",
            text="楼道堆满杂物无法通行",
            lat=31.321,
            lon=120.591,
        )
    told = Notification.objects.get(verb="submit", subject_id=case.pk)
    assert NotificationDelivery.objects.filter(notification=told).count() == 1
    if connection.vendor == "postgresql":
        sent = [x["sql"] for x in q.captured_queries]
        opened = [s for s in sent if s == "BEGIN" or s.startswith("SAVEPOINT")]
        assert len(opened) == 1 and any("core_notification" in s for s in sent)


def test_a_statement_of_an_unknown_shape_falls_back_to_one_by_one():
    from genxi.core.db import _referring

    plain = ('INSERT INTO "t" ("a", "b") VALUES (%s, %s)', [1, 2])
    assert _referring(*plain, '"b"', "p", False) == (
        'INSERT INTO "t" ("a", "b") SELECT %s, (SELECT id FROM p)',
        [1],
    )
    assert _referring(*plain, '"a"', "p", True)[0].endswith("SELECT (SELECT id::text FROM p), %s")
    assert _referring('INSERT INTO "t" ("a") VALUES (%s::jsonb)', [1], '"a"', "p", False) is None
    assert _referring('INSERT INTO "t" ("a") VALUES (%s)', [1], '"z"', "p", False) is None
    assert _referring('INSERT INTO "t" DEFAULT VALUES', [], '"a"', "p", False) is None
