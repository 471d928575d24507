"""The audit log's hash chain: seal events in order, verify the chain, purge its oldest part.

Events are written by many transactions at once and chained afterwards by one sealer at a
time (`seal`, run by `genxi audit seal --every 60` and before `verify` and the purge). A
seal (`AuditSeal`) gives an event a gapless position `seq` and the hash of the event's
canonical content together with the previous seal's hash. The chain is in sealing order,
not id order: an event whose transaction commits late is sealed by a later run, so there
is never a fork and never a need to insert into the middle. Gaps in event ids mean nothing
(a rolled-back transaction leaves one); a gap in `seq`, a seal whose event is gone or an
event whose content no longer matches its hash means an event was deleted or altered.
See docs/security.md ("Audit log below the ORM").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from .models import AuditEvent, AuditImmutableError, AuditSeal

GENESIS = "0" * 64
# The advisory lock that lets one sealer run at a time on PostgreSQL ("genxi-au").
LOCK_KEY = 0x67656E78_692D6175
# A routine run looks this many ids below the highest sealed one for late commits;
# `seal(full=True)` (verify, purge) looks everywhere.
LOOKBACK_IDS = 10_000
BATCH = 1000

# The event fields a seal covers, in this order. Adding a field to AuditEvent does not
# change the hashes of sealed events; to cover it, add a new chain version.
FIELDS = (
    "id",
    "created_at",
    "actor_id",
    "actor_label",
    "verb",
    "target_type_id",
    "target_id",
    "target_label",
    "before",
    "after",
    "reason",
    "ip",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def canonical(event: AuditEvent) -> bytes:
    """The event's content as the chain hashes it (as read back from the database)."""
    values = [_plain(getattr(event, name)) for name in FIELDS]
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, seq: int, event: AuditEvent) -> str:
    digest = hashlib.sha256()
    digest.update(f"genxi-audit-v1\n{seq}\n{prev_hash}\n".encode())
    digest.update(canonical(event))
    return digest.hexdigest()


def _lock() -> None:
    # SQLite: the write transaction (BEGIN IMMEDIATE, settings) already serialises sealers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _head() -> tuple[int, str]:
    last = AuditSeal.objects.order_by("-seq").values_list("seq", "hash").first()
    return last or (0, GENESIS)


def seal(*, full: bool = False) -> int:
    """Chain every committed event not sealed yet, in id order; returns how many."""
    sealed = 0
    while True:
        with transaction.atomic():
            _lock()
            seq, prev = _head()
            pending = AuditEvent.objects.filter(
                ~Exists(AuditSeal.objects.filter(event_id=OuterRef("pk")))
            )
            if not full and seq:
                highest = AuditSeal.objects.aggregate(m=Max("event_id"))["m"]
                pending = pending.filter(pk__gt=highest - LOOKBACK_IDS)
            events = list(pending.order_by("pk")[:BATCH])
            seals = []
            for event in events:
                seq += 1
                digest = chain_hash(prev, seq, event)
                seals.append(
                    AuditSeal(
                        seq=seq,
                        event_id=event.pk,
                        event_time=event.created_at,
                        prev_hash=prev,
                        hash=digest,
                    )
                )
                prev = digest
            AuditSeal.objects.bulk_create(seals)
        sealed += len(seals)
        if len(events) < BATCH:
            return sealed


@dataclass(frozen=True)
class Problem:
    """The first thing wrong with the chain: which event, when, and what."""

    seq: int
    event_id: int | None
    event_time: datetime | None
    what: str

    def __str__(self) -> str:
        when = f" ({self.event_time:%Y-%m-%d %H:%M:%S%z})" if self.event_time else ""
        which = f"event {self.event_id}{when}" if self.event_id is not None else "events"
        return f"{which}, chain #{self.seq}: {self.what}"


@dataclass(frozen=True)
class Report:
    verified: int
    first_seq: int
    head_seq: int
    head_hash: str
    unsealed: int
    problem: Problem | None


def _purged_up_to() -> int | None:
    """The first seq kept by the latest purge, if any purge was recorded."""
    purge = AuditEvent.objects.filter(verb="audit.purge").order_by("-pk").first()
    return (purge.after or {}).get("kept_from_seq") if purge else None


def verify(*, chunk: int = 2000) -> Report:
    """Check every seal from the oldest remaining one: the chain is gapless, each event is
    present and its content hashes to its seal. Stops at the first problem."""
    first = AuditSeal.objects.order_by("seq").first()
    unsealed = AuditEvent.objects.filter(
        ~Exists(AuditSeal.objects.filter(event_id=OuterRef("pk")))
    ).count()
    if first is None:
        return Report(0, 0, 0, GENESIS, unsealed, None)

    def report(count: int, seq: int, digest: str, problem: Problem | None = None) -> Report:
        return Report(count, first.seq, seq, digest, unsealed, problem)

    if first.seq != 1 and _purged_up_to() != first.seq:
        missing = Problem(1, None, None, f"#1–#{first.seq - 1} are missing (no purge recorded)")
        return report(0, 0, GENESIS, missing)
    count, last_seq, last_hash, last_event = 0, first.seq - 1, first.prev_hash, None
    while True:
        seals = list(AuditSeal.objects.filter(seq__gt=last_seq).order_by("seq")[:chunk])
        if not seals:
            return report(count, last_seq, last_hash)
        events = AuditEvent.objects.in_bulk([s.event_id for s in seals])
        for s in seals:
            if s.seq != last_seq + 1:
                what = f"#{last_seq + 1}–#{s.seq - 1} are missing (deleted)"
                if last_event:
                    what += f", after event {last_event.event_id} of {last_event.event_time}"
                what += f", before event {s.event_id} of {s.event_time}"
                return report(count, last_seq, last_hash, Problem(last_seq + 1, None, None, what))
            event = events.get(s.event_id)
            if event is None:
                problem = Problem(s.seq, s.event_id, s.event_time, "missing (deleted)")
            elif s.prev_hash != last_hash and last_event is not None:
                # The previous seal was rewritten to fit (the first seal is where we start).
                problem = Problem(
                    last_seq, last_event.event_id, last_event.event_time, "altered, and its seal"
                )
            elif event.created_at != s.event_time or chain_hash(last_hash, s.seq, event) != s.hash:
                problem = Problem(s.seq, s.event_id, s.event_time, "altered")
            else:
                problem = None
            if problem:
                return report(count, last_seq, last_hash, problem)
            count, last_seq, last_hash, last_event = count + 1, s.seq, s.hash, s


def head_is_kept(seq: int, digest: str) -> bool:
    """Whether the chain still holds a head that `verify` printed earlier (kept outside the
    database): its seal is there with the same hash, or a purge has cut past it."""
    seal_ = AuditSeal.objects.filter(seq=seq).first()
    if seal_ is not None:
        return seal_.hash == digest
    first = AuditSeal.objects.order_by("seq").values_list("seq", flat=True).first()
    return first is not None and first > seq and _purged_up_to() == first


def purge(*, days: int) -> tuple[int, int]:
    """Delete the oldest part of the chain: the seals, and their events, before the first
    seal of an event at most `days` old. Returns (events deleted, first seq kept). Call it
    inside a transaction, as the database owner (the app role may not delete)."""
    minimum = settings.GENXI_AUDIT_MIN_RETENTION_DAYS
    if days < minimum:
        raise AuditImmutableError(f"audit events are kept at least {minimum} days")
    seal(full=True)
    cutoff = timezone.now() - timedelta(days=days)
    kept = AuditSeal.objects.filter(event_time__gte=cutoff).order_by("seq").first()
    # The newest seal always stays, so that the chain goes on from it.
    keep_from = kept.seq if kept else _head()[0]
    if not keep_from:
        return 0, 1
    old = AuditSeal.objects.filter(seq__lt=keep_from)
    events = AuditEvent.objects.filter(pk__in=old.values("event_id"))
    deleted = events._raw_delete(events.db)
    old._raw_delete(old.db)
    return deleted, keep_from
