"""Writes about people: residents, pioneers, memberships, and Excel imports."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core import audit, pii
from genxi.core.db import lock_value, unique_or_invalid
from genxi.core.domain.phones import is_valid_mobile
from genxi.core.roles import ADMIN_ROLES, INTAKE_ROLES, ROLE_PERMISSIONS, Perm, Role, role_conflict
from genxi.core.scope import forget_scope, scope_for
from genxi.core.spreadsheets import count_rows
from genxi.regions.models import Level, Region

from . import import_engine, tasks
from .domain.idcard import is_valid_id_number
from .import_engine import PreviewChanged, import_job_apply, import_job_run
from .importers import IMPORTERS
from .models import (
    UNNAMED_POSTS,
    ImportJob,
    ImportMode,
    ImportStatus,
    Membership,
    Pioneer,
    Resident,
    SmsConsent,
    User,
)


def _check_grid(grid: Region) -> None:
    if grid.level != Level.GRID:
        raise ValidationError({"grid": _("请选择一个网格。")})


def _check_phone(phone: str, field: str = "phone") -> None:
    if phone and not is_valid_mobile(phone):
        raise ValidationError({field: _("手机号码应为 11 位数字,以 13–19 开头。")})


def resident_create(
    *,
    actor: Any,
    name: str,
    id_number: str,
    grid: Region,
    phone: str = "",
    address: str = "",
    building: str = "",
    tags: list[str] | None = None,
    legal_basis: str = "public_duty",
    note: str = "",
) -> Resident:
    id_number = id_number.strip().upper()
    if not is_valid_id_number(id_number):
        raise ValidationError({"id_number": _("身份证号无效(应为 18 位,出生日期与校验位须正确)。")})
    _check_phone(phone)
    _check_grid(grid)
    with transaction.atomic():
        digest = pii.digest(id_number)
        lock_value("resident.id_number", digest)  # no unique index: imports may duplicate
        if Resident.objects.filter(id_number_digest=digest).exists():
            raise ValidationError({"id_number": _("系统中已有该身份证号的居民。")})
        resident = Resident.objects.create(
            name=name,
            id_number=id_number,
            id_number_digest=digest,
            phone=phone,
            address=address,
            building=building,
            grid=grid,
            tags=tags or [],
            legal_basis=legal_basis,
            note=note,
        )
        audit.record(
            actor=actor, verb="resident.create", target=resident, after=audit.snapshot(resident)
        )
    return resident


_Edited = TypeVar("_Edited", Resident, Pioneer)
RESIDENT_EDITABLE = {"name", "phone", "address", "building", "grid", "tags", "legal_basis", "note"}


def _edit(*, actor: Any, obj: Any, verb: str, editable: set[str], changes: dict[str, Any]) -> Any:
    """Change some fields of a resident or pioneer under its row's lock, audited with the
    fields' values before and after (personal data masked)."""
    unknown = set(changes) - editable
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("该字段不能修改。")})
    if "phone" in changes:
        _check_phone(changes["phone"])
    if "grid" in changes:
        _check_grid(changes["grid"])
    with transaction.atomic():
        obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        before = audit.snapshot(obj)
        for key, value in changes.items():
            setattr(obj, key, value)
        if isinstance(obj, Pioneer) and obj.job and obj.kind != "new_employment":
            raise ValidationError({"job": _("只有新业态新就业群体需要填写岗位。")})
        obj.save(update_fields=[*changes, "updated_at"])
        b, a = audit.diff(before, audit.snapshot(obj))
        audit.record(actor=actor, verb=verb, target=obj, before=b, after=a)
    return obj


def resident_update(*, actor: Any, resident: Resident, **changes: Any) -> Resident:
    return _edit(  # type: ignore[no-any-return]  # mypy reads a TypeVar of models as Any
        actor=actor,
        obj=resident,
        verb="resident.update",
        editable=RESIDENT_EDITABLE,
        changes=changes,
    )


def _require_resident_staff(actor: Any, resident: Resident) -> None:
    if not Resident.objects.visible_to(actor).filter(pk=resident.pk).exists() or not scope_for(
        actor
    ).role_covers(INTAKE_ROLES, resident.grid.path):
        raise PermissionDenied(_("只有本社区或街道的工作人员可以登记居民的短信同意。"))


def sms_consent_give(*, actor: Any, resident: Resident, how: str = "") -> SmsConsent:
    """Record that the resident agrees to texts from the community (again, after a
    withdrawal), under the consent row's lock; audited."""
    _require_resident_staff(actor, resident)
    with transaction.atomic():
        Resident.objects.select_for_update().get(pk=resident.pk)
        consent = SmsConsent.objects.select_for_update().filter(resident=resident).first()
        if consent is not None and consent.given:
            raise ValidationError({"how": _("该居民已同意接收短信。")})
        now = timezone.now()
        if consent is None:
            consent = SmsConsent(resident=resident)
        consent.consented_at, consent.consented_by, consent.how = now, actor, how[:100]
        consent.withdrawn_at = consent.withdrawn_by = None
        consent.save()
        audit.record(
            actor=actor, verb="resident.sms_consent", target=resident, after={"how": how[:100]}
        )
    return consent


def sms_consent_withdraw(*, actor: Any, resident: Resident) -> SmsConsent:
    """Record that the resident withdrew the consent: from now on no text leaves for them,
    not even one already queued (the sender checks under this row's lock)."""
    _require_resident_staff(actor, resident)
    with transaction.atomic():
        consent = SmsConsent.objects.select_for_update().filter(resident=resident).first()
        if consent is None or not consent.given:
            raise ValidationError({"how": _("该居民没有同意接收短信。")})
        consent.withdrawn_at, consent.withdrawn_by = timezone.now(), actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit.record(actor=actor, verb="resident.sms_withdraw", target=resident)
    return consent


def sms_consent_given_locked(resident_id: int) -> bool:
    """Whether the resident's consent stands, locking its row until the caller's
    transaction ends (a withdrawal waits for a send being decided, and the reverse)."""
    consent = SmsConsent.objects.select_for_update().filter(resident_id=resident_id).first()
    return consent is not None and consent.given


def pioneer_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    grid: Region,
    phone: str = "",
    job: str = "",
    skills: list[str] | None = None,
    availability: str = "",
    active: bool = True,
    user: User | None = None,
) -> Pioneer:
    _check_phone(phone)
    _check_grid(grid)
    if job and kind != "new_employment":
        raise ValidationError({"job": _("只有新业态新就业群体需要填写岗位。")})
    with (
        transaction.atomic(),
        unique_or_invalid(Pioneer.objects.filter(code=code).exists, "code", _("编号已被使用。")),
    ):
        pioneer = Pioneer.objects.create(
            code=code,
            name=name,
            kind=kind,
            grid=grid,
            phone=phone,
            job=job,
            skills=skills or [],
            availability=availability,
            active=active,
            user=user,
        )
        audit.record(
            actor=actor, verb="pioneer.create", target=pioneer, after=audit.snapshot(pioneer)
        )
    return pioneer


PIONEER_EDITABLE = {"name", "phone", "kind", "job", "grid", "skills", "availability", "active"}


def pioneer_update(*, actor: Any, pioneer: Pioneer, **changes: Any) -> Pioneer:
    return _edit(  # type: ignore[no-any-return]  # mypy reads a TypeVar of models as Any
        actor=actor, obj=pioneer, verb="pioneer.update", editable=PIONEER_EDITABLE, changes=changes
    )


def pioneer_set_active(*, actor: Any, pioneer: Pioneer, active: bool) -> Pioneer:
    with transaction.atomic():
        pioneer = Pioneer.objects.select_for_update().get(pk=pioneer.pk)
        before = {"active": pioneer.active}
        pioneer.active = active
        pioneer.save(update_fields=["active", "updated_at"])
        audit.record(
            actor=actor,
            verb="pioneer.update",
            target=pioneer,
            before=before,
            after={"active": active},
        )
    return pioneer


def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    display_name: str = "",
    must_change_password: bool = True,
) -> User:
    user = User(username=username, display_name=display_name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    with (
        transaction.atomic(),
        unique_or_invalid(
            User.objects.filter(username=username).exists, "username", _("用户名已被使用。")
        ),
    ):
        user.set_password(password)
        user.must_change_password = must_change_password
        user.save()
        audit.record(
            actor=actor,
            verb="user.create",
            target=user,
            after={"username": username, "display_name": display_name},
        )
    return user


def membership_actor_check(*, actor: Any, user: User) -> None:
    """Accounts and roles are the security admin's job; nobody changes their own roles.

    `actor=None` is the operator at the command line (demo loader, management commands)."""
    if actor is None:
        return
    if not scope_for(actor).has(Perm.MANAGE_ACCOUNTS):
        raise PermissionDenied(_("只有安全管理员可以授予或撤销角色。"))
    if actor.pk == user.pk:
        raise PermissionDenied(_("不能给自己的账号授予或撤销角色。"))


def membership_check(
    *,
    actor: Any,
    user: User,
    role: str,
    region: Region | None = None,
    unit: Any = None,
    held: set[str] | None = None,
) -> None:
    """Raise unless `actor` may grant `role` to `user` (also used by forms, to answer
    before anything is written). `held` are the roles the account keeps, default its
    active memberships."""
    membership_actor_check(actor=actor, user=user)
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色。")})
    if role in ADMIN_ROLES and (region is not None or unit is not None):
        raise ValidationError({"region": _("管理员角色不指定组织节点或单位。")})
    if role == Role.UNIT_LIAISON and unit is None:
        raise ValidationError({"unit": _("共建单位联络人须指定单位。")})
    # A role's scope is its node or its unit: a second one would widen it unseen.
    if role == Role.UNIT_LIAISON and region is not None:
        raise ValidationError({"region": _("共建单位联络人只指定单位,不指定组织节点。")})
    if role != Role.UNIT_LIAISON and unit is not None:
        raise ValidationError({"unit": _("只有共建单位联络人指定单位。")})
    if role not in ADMIN_ROLES and role != Role.UNIT_LIAISON and region is None:
        raise ValidationError({"region": _("该角色须指定组织节点。")})
    if held is None and user.pk is None:
        held = set()
    elif held is None:
        held = set(Membership.objects.filter(user=user, active=True).values_list("role", flat=True))
    conflict = role_conflict(held, role)
    if conflict is not None:
        raise ValidationError(
            {
                "role": _(
                    "系统管理员、安全管理员、安全审计员三个角色互斥,也不能与其他角色同时"
                    "授予一个账号(该账号已有:%(held)s)。"
                )
                % {"held": Role(conflict).label}
            }
        )


def _sync_staff_flag(user: User) -> None:
    """Django's `is_staff` follows the roles that carry the admin-site permission."""
    roles = set(Membership.objects.filter(user=user, active=True).values_list("role", flat=True))
    is_staff = any(Perm.ADMIN_SITE in ROLE_PERMISSIONS[r] for r in roles)
    if user.is_staff != is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=is_staff)
        user.is_staff = is_staff


def membership_grant(
    *,
    actor: Any,
    user: User,
    role: str,
    region: Region | None = None,
    unit: Any = None,
) -> Membership:
    """The one way a role is given: checked under a lock on the account (so two grants
    running side by side cannot together make a forbidden mix), recorded."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one change at a time
        membership_check(actor=actor, user=user, role=role, region=region, unit=unit)
        membership = Membership.objects.filter(
            user=user, role=role, region=region, unit=unit
        ).first()
        if membership is not None and membership.active:
            return membership
        if membership is None:
            membership = Membership.objects.create(
                user=user, role=role, region=region, unit=unit, active=True
            )
        else:
            membership.active = True
            membership.save(update_fields=["active", "updated_at"])
        _sync_staff_flag(user)
        audit.record(
            actor=actor,
            verb="membership.grant",
            target=membership,
            after={
                "user": user.username,
                "role": role,
                "region": region and region.code,
                "unit": unit and unit.code,
            },
        )
    forget_scope(user)
    UNNAMED_POSTS.forget()  # its post, if it has no name
    return membership


def membership_revoke(*, actor: Any, membership: Membership) -> None:
    """The one way a role is taken away: the row goes, the audit event keeps what it was."""
    user = membership.user
    membership_actor_check(actor=actor, user=user)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        locked = (
            Membership.objects.select_related("region", "unit").filter(pk=membership.pk).first()
        )
        if locked is None:
            return
        membership = locked
        before = {
            "user": user.username,
            "role": membership.role,
            "region": membership.region and membership.region.code,
            "unit": membership.unit and membership.unit.code,
            "active": membership.active,
        }
        audit.record(
            actor=actor,
            verb="membership.revoke",
            target=membership,
            before=before,
            target_label=str(membership),
        )
        membership.delete()
        _sync_staff_flag(user)
    forget_scope(user)
    UNNAMED_POSTS.forget()  # its post, if it has no name


# Excel import ------------------------------------------------------------------------------
#
# An upload is never kept once its import has ended. A small file is checked and written
# straight from the request; a large one waits for the worker encrypted (Fernet, the
# personal-data keys) under a random name, and is deleted when the job ends, or after
# IMPORT_FILE_TTL by `genxi import_purge` if no worker ever ran it. The error report is the
# job's list of (row, column, code) and holds no personal data. The run itself (check every
# row, then write) is `import_engine.py`; the worker's task calls it too.

IMPORT_FILE_TTL = timedelta(hours=24)


def _check_may_import(actor: Any, kind: str, region: Region) -> None:
    """Import into a region in one's scope; residents only with the right to see them
    (the system admin imports organisation data, not residents: docs/security.md)."""
    from .models import ImportKind

    scope = scope_for(actor)
    if not scope.has(Perm.IMPORT_DATA) or not (
        scope.is_global or any(region.path.startswith(p) for p in scope.paths)
    ):
        raise PermissionDenied(_("您不能向该范围导入数据。"))
    if kind == ImportKind.RESIDENTS and not scope.has(Perm.VIEW_RESIDENTS):
        raise PermissionDenied(_("您没有导入居民信息的权限。"))


def import_job_create(
    *, actor: Any, kind: str, upload: Any, region: Region, mode: str = ImportMode.CREATE
) -> Any:
    """Start the import: at once for small files, else in the background. An update import
    (mode 更新) keeps its upload, encrypted, until its preview is confirmed."""
    if kind not in IMPORTERS:
        raise ValidationError({"kind": _("未知的导入类型。")})
    if mode not in ImportMode.values:
        raise ValidationError({"mode": _("未知的导入方式。")})
    if mode == ImportMode.UPDATE and not IMPORTERS[kind].updates:
        raise ValidationError({"mode": _("该类型只能新增,不能更新。")})
    _check_may_import(actor, kind, region)
    rows = count_rows(upload)
    background = rows >= settings.GENXI_IMPORT_BACKGROUND_ROWS
    keep = background or mode == ImportMode.UPDATE
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            mode=mode,
            filename=getattr(upload, "name", "upload.xlsx")[:200],
            created_by=actor,
            region=region,
            total_rows=max(rows, 0),
            status=ImportStatus.PENDING,
        )
        if keep:
            upload.seek(0)
            sealed = pii.cipher().encrypt(upload.read())
            job.file.save(f"{uuid.uuid4().hex}.enc", ContentFile(sealed), save=True)
        audit.record(
            actor=actor,
            verb="import.create",
            target=job,
            after={"kind": kind, "mode": mode, "file": job.filename, "rows": rows},
        )
    if background:
        transaction.on_commit(lambda: tasks.run_import.enqueue(job.pk))
    else:
        import_job_run(job_id=job.pk, source=upload)
        job.refresh_from_db()
    return job


def _update_resident(*, actor: Any, obj: Any, **changes: Any) -> Any:
    return resident_update(actor=actor, resident=obj, **changes)


def _update_pioneer(*, actor: Any, obj: Any, **changes: Any) -> Any:
    return pioneer_update(actor=actor, pioneer=obj, **changes)


UPDATERS = {"residents": _update_resident, "pioneers": _update_pioneer}


def import_job_confirm(*, actor: Any, job: ImportJob) -> ImportJob:
    """Apply an update import's preview, all of it in one transaction or nothing: the file
    is checked again with the confirmer's scope, and if it no longer gives the preview that
    was shown (someone changed the records meanwhile), nothing is written and the job shows
    the new preview to confirm."""
    _check_may_import(actor, job.kind, job.region)
    with transaction.atomic():
        locked = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("region")
            .get(pk=job.pk)
        )
        if locked.status != ImportStatus.PREVIEW:
            raise ValidationError({"job": _("该导入不在待确认状态。")})
        try:
            import_job_apply(job=locked, actor=actor, updaters=UPDATERS)
        except PreviewChanged:
            pass
        else:
            locked.refresh_from_db()
            audit.record(
                actor=actor,
                verb="import.confirm",
                target=locked,
                after={
                    "status": locked.status,
                    "created": locked.created_rows,
                    "updated": locked.updated_rows,
                },
            )
            return locked
    locked.refresh_from_db()
    raise ValidationError({"job": _("预览之后数据已有变化;请查看新的预览后再确认。")})


def import_job_discard(*, actor: Any, job: ImportJob) -> ImportJob:
    """Drop an update import's preview without writing anything: the stored upload is
    deleted now (not at the purge a day later) and the job reads 已放弃."""
    _check_may_import(actor, job.kind, job.region)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
        if locked.status != ImportStatus.PREVIEW:
            raise ValidationError({"job": _("该导入不在待确认状态。")})
        locked.status = ImportStatus.DISCARDED
        locked.save(update_fields=["status", "updated_at"])
        import_engine.discard_upload(locked)
        audit.record(
            actor=actor,
            verb="import.discard",
            target=locked,
            before={"status": ImportStatus.PREVIEW},
            after={"status": ImportStatus.DISCARDED},
        )
    locked.refresh_from_db()
    return locked


def import_uploads_purge(*, older_than: timedelta = IMPORT_FILE_TTL) -> int:
    """Delete uploads that waited longer than `older_than`; their jobs fail as expired."""
    stale = ImportJob.objects.exclude(file="").filter(created_at__lt=timezone.now() - older_than)
    count = 0
    for job in stale:
        if not job.finished:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.FAILED, errors=[import_engine.import_error(1, "expired")]
            )
        import_engine.discard_upload(job)
        count += 1
    return count
