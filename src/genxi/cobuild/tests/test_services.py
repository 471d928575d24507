"""Co-building services: needs, resources, claims; who may do what; pooled needs never
overfilled, claims never approved twice — also under concurrency on PostgreSQL."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from genxi.cobuild import services
from genxi.cobuild.models import Claim, ClaimStatus, Need, NeedStatus, Resource
from genxi.core.models import AuditEvent
from genxi.core.roles import Role
from genxi.core.testing.world import make_user


def _need(world, quantity=20, pooled=False, community=None):
    return services.need_create(
        actor=world.users["community"],
        community=community or world.a1,
        title="周末助老志愿服务",
        kind="volunteers",
        quantity=quantity,
        unit_label="志愿小时",
        pooled=pooled,
    )


def test_need_claim_approve_deliver(world):
    need = _need(world)
    unit = world.objs["unit_a"]
    resource = services.resource_create(
        actor=world.users["unit"],
        unit=unit,
        kind="volunteers",
        description="助老志愿者",
        capacity=30,
        unit_label="志愿小时",
    )
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=unit, quantity=12, resource=resource
    )
    services.claim_approve(actor=world.users["community"], claim=claim)
    need.refresh_from_db()
    assert (need.filled, need.status, need.percent) == (12, NeedStatus.OPEN, 60)
    services.claim_deliver(actor=world.users["unit"], claim=claim, amount=12, beneficiaries=30)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DELIVERED and claim.beneficiaries_served == 30
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        "need.create",
        "resource.create",
        "claim.create",
        "claim.approve",
        "claim.deliver",
    } <= verbs


def test_who_may_do_what(world):
    need = _need(world)
    with pytest.raises(PermissionDenied):
        services.need_create(
            actor=world.users["outsider"],
            community=world.a1,
            title="x",
            kind="funds",
            quantity=1,
            unit_label="元",
        )
    with pytest.raises(PermissionDenied):  # a liaison claims only for its own unit
        services.claim_create(
            actor=world.users["unit"], need=need, unit=world.objs["unit_b"], quantity=1
        )
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=1
    )
    with pytest.raises(PermissionDenied):  # the unit cannot approve its own claim
        services.claim_approve(actor=world.users["unit"], claim=claim)
    with pytest.raises(PermissionDenied):
        services.claim_approve(actor=world.users["outsider"], claim=claim)


def test_bad_input_names_the_field(world):
    for kwargs, field in [
        ({"quantity": 0}, "quantity"),
        ({"kind": "x"}, "kind"),
        ({"community": world.grid_a1}, "community"),
    ]:
        with pytest.raises(ValidationError) as err:
            services.need_create(
                **{
                    "actor": world.users["community"],
                    "community": world.a1,
                    "title": "t",
                    "kind": "funds",
                    "quantity": 5,
                    "unit_label": "元",
                    **kwargs,
                }
            )
        assert field in err.value.message_dict
    need = _need(world, quantity=5)
    with pytest.raises(ValidationError) as err:
        services.claim_create(
            actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=6
        )
    assert "quantity" in err.value.message_dict
    assert not Claim.objects.exists()


def test_a_claim_is_approved_once_and_a_pooled_need_is_never_overfilled(world):
    need = _need(world, quantity=10, pooled=True)
    first = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=6
    )
    second = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=6
    )
    services.claim_approve(actor=world.users["community"], claim=first)
    with pytest.raises(ValidationError):
        services.claim_approve(actor=world.users["community"], claim=first)
    with pytest.raises(ValidationError) as err:
        services.claim_approve(actor=world.users["community"], claim=second)
    assert "quantity" in err.value.message_dict
    need.refresh_from_db()
    assert need.filled == 6


def test_scopes(world):
    from genxi.core.testing.world import World  # noqa: F401

    inside = _need(world, community=world.a1)
    outside = services.need_create(
        actor=world.users["outsider"],
        community=world.b1,
        title="观景社区需求",
        kind="funds",
        quantity=3,
        unit_label="元",
    )
    visible = set(Need.objects.visible_to(world.users["community"]))
    assert inside in visible and outside not in visible
    # unit_a is paired with a1: its liaison sees a1's open needs, not b1's.
    for_unit = set(Need.objects.visible_to(world.users["unit"]))
    assert inside in for_unit and outside not in for_unit
    other_unit_claim = Claim.objects.create(
        need=outside,
        community=outside.community,
        kind=outside.kind,
        unit_label=outside.unit_label,
        unit=world.objs["unit_b"],
        quantity=1,
    )
    assert other_unit_claim not in set(Claim.objects.visible_to(world.users["unit"]))
    Resource.objects.create(
        unit=world.objs["unit_b"], kind="funds", description="x", capacity=1, unit_label="元"
    )
    assert (
        not Resource.objects.visible_to(world.users["unit"])
        .filter(unit=world.objs["unit_b"])
        .exists()
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    need = _need(world, quantity=10, pooled=True)
    units = [world.objs["unit_a"]]
    liaisons = []
    for i in range(4):
        unit = world.unit(world.street_a, f"U-P-{i}", f"众筹单位{i}", pair_with=[world.a1])
        units.append(unit)
        liaisons.append((make_user(f"liaison{i}", Role.UNIT_LIAISON, unit=unit), unit))
    claims = [
        services.claim_create(actor=user, need=need, unit=unit, quantity=3)
        for user, unit in liaisons
        for _ in range(2)
    ]
    approved, refused, errors = [], [], []

    def approve(claim):
        try:
            services.claim_approve(actor=world.users["community"], claim=claim)
            approved.append(claim.pk)
        except ValidationError:
            refused.append(claim.pk)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    # Every claim is approved by two people at once.
    threads = [threading.Thread(target=approve, args=(c,)) for c in claims for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    need.refresh_from_db()
    assert need.filled <= need.quantity and need.filled == 3 * len(set(approved))
    assert len(approved) == len(set(approved)), "a claim was approved twice"
    assert need.filled == 9 and need.status == NeedStatus.OPEN  # 3 × 3 fit in 10; a 4th does not


def test_delivery_photos_lose_their_location_and_bad_files_write_nothing(world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from genxi.cobuild.models import DeliveryPhoto
    from genxi.core.testing.images import jpeg_with_gps

    need = _need(world)
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=5
    )
    services.claim_approve(actor=world.users["community"], claim=claim)
    bad = SimpleUploadedFile("notes.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.claim_deliver(
            actor=world.users["unit"], claim=claim, amount=5, photos=[jpeg_with_gps(), bad]
        )
    assert "photos" in exc.value.message_dict
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and not DeliveryPhoto.objects.exists()
    services.claim_deliver(
        actor=world.users["unit"], claim=claim, amount=5, beneficiaries=20, photos=[jpeg_with_gps()]
    )
    photo = DeliveryPhoto.objects.get(claim=claim)
    with photo.image.open("rb") as fh, Image.open(fh) as stored:
        assert not stored.getexif()  # no GPS, no camera
    with photo.thumbnail.open("rb") as fh, Image.open(fh) as thumb:
        assert max(thumb.size) == 320
    assert AuditEvent.objects.filter(verb="claim.deliver").latest("id").after["photos"] == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_slot_approvals_give_a_slot_one_unit(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    from genxi.cobuild.models import ServiceSlot

    from .helpers import weekly_service

    service = weekly_service(world)
    slot = service.slots.get()
    claims = []
    for i in range(6):
        unit = world.unit(world.street_a, f"U-S-{i}", f"律所{i}", pair_with=[world.a1])
        liaison = make_user(f"lawyer{i}", Role.UNIT_LIAISON, unit=unit)
        claims.append(services.claim_create(actor=liaison, slot=slot, unit=unit))
    approved, errors = [], []

    def approve(claim):
        try:
            services.claim_approve(actor=world.users["community"], claim=claim)
            approved.append(claim)
        except ValidationError:
            pass
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(c,)) for c in claims for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(approved) == 1, "a slot got more than one unit"
    slot = ServiceSlot.objects.get(pk=slot.pk)
    assert slot.unit_id == approved[0].unit_id
    assert Claim.objects.filter(slot=slot, status=ClaimStatus.APPROVED).count() == 1
