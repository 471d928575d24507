"""Writes about people: residents, pioneers, memberships, and Excel imports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from genxi.core import audit, pii
from genxi.core.roles import Perm, Role
from genxi.core.scope import forget_scope, scope_for
from genxi.regions.models import Level, Region

from .domain.idcard import is_valid_id_number, is_valid_mobile
from .models import Membership, Pioneer, Resident, User


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


RESIDENT_EDITABLE = {"name", "phone", "address", "building", "grid", "tags", "legal_basis", "note"}


def resident_update(*, actor: Any, resident: Resident, **changes: Any) -> Resident:
    unknown = set(changes) - RESIDENT_EDITABLE
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("该字段不能修改。")})
    if "phone" in changes:
        _check_phone(changes["phone"])
    if "grid" in changes:
        _check_grid(changes["grid"])
    with transaction.atomic():
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        before = audit.snapshot(resident)
        for key, value in changes.items():
            setattr(resident, key, value)
        resident.save(update_fields=[*changes, "updated_at"])
        b, a = audit.diff(before, audit.snapshot(resident))
        audit.record(actor=actor, verb="resident.update", target=resident, before=b, after=a)
    return resident


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
    with transaction.atomic():
        if Pioneer.objects.filter(code=code).exists():
            raise ValidationError({"code": _("编号已被使用。")})
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
    from django.contrib.auth.password_validation import validate_password

    user = User(username=username, display_name=display_name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ValidationError({"username": _("用户名已被使用。")})
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


def membership_grant(
    *,
    actor: Any,
    user: User,
    role: str,
    region: Region | None = None,
    unit: Any = None,
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色。")})
    if role == Role.UNIT_LIAISON and unit is None:
        raise ValidationError({"unit": _("共建单位联络人须指定单位。")})
    needs_region = role not in {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}
    if needs_region and role != Role.UNIT_LIAISON and region is None:
        raise ValidationError({"region": _("该角色须指定组织节点。")})
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, role=role, region=region, unit=unit, defaults={"active": True}
        )
        # The Django admin is for the roles that carry the admin-site permission.
        is_staff = role in {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.STREET_ADMIN}
        if is_staff and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        if created:
            audit.record(
                actor=actor,
                verb="membership.grant",
                target=membership,
                after={"user": user.username, "role": role, "region": region and region.code},
            )
    forget_scope(user)
    return membership


# Excel import ------------------------------------------------------------------------------


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


def import_job_create(*, actor: Any, kind: str, upload: Any, region: Region) -> Any:
    """Store the uploaded file and start the import: at once for small files, else later."""
    from django.conf import settings

    from . import tasks
    from .importers import IMPORTERS
    from .models import ImportJob, ImportStatus
    from .spreadsheets import count_rows

    if kind not in IMPORTERS:
        raise ValidationError({"kind": _("未知的导入类型。")})
    _check_may_import(actor, kind, region)
    rows = count_rows(upload)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            file=upload,
            filename=getattr(upload, "name", "upload.xlsx")[:200],
            created_by=actor,
            region=region,
            total_rows=max(rows, 0),
            status=ImportStatus.PENDING,
        )
        audit.record(
            actor=actor,
            verb="import.create",
            target=job,
            after={"kind": kind, "file": job.filename, "rows": rows},
        )
    if rows >= settings.GENXI_IMPORT_BACKGROUND_ROWS:
        transaction.on_commit(lambda: tasks.run_import.enqueue(job.pk))
    else:
        import_job_run(job_id=job.pk)
        job.refresh_from_db()
    return job


def import_job_run(*, job_id: int) -> None:
    """Check every row, then write all of them in one transaction, or none at all."""
    from .importers import IMPORTERS, context_for
    from .models import ImportJob, ImportStatus
    from .spreadsheets import read_rows

    job = ImportJob.objects.select_related("region", "created_by").get(pk=job_id)
    if job.finished:
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    importer = IMPORTERS[job.kind]

    def progress(done: int) -> None:
        # Checking is most of the work; writing is one short transaction at the end.
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    try:
        with job.file.open("rb") as fh:
            header, rows = read_rows(fh)
            outcome = validate(importer, header, rows, context_for(job.region), progress)
    except UnreadableFile:
        outcome = None
        errors = [{"row": 1, "column": "A", "title": "", "code": "not_xlsx", "params": {}}]
    else:
        errors = [vars(e) for e in outcome.errors]
        if not errors and not outcome.records:
            errors = [{"row": 2, "column": "A", "title": "", "code": "empty", "params": {}}]
    if errors:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, errors=errors[:1000], processed_rows=job.total_rows
        )
        return
    with transaction.atomic():
        objects = [importer.build(rec) for rec in outcome.records]
        model = type(objects[0])
        created = model.objects.bulk_create(objects, batch_size=1000)
        audit.record_bulk(
            actor=job.created_by, verb=f"{model._meta.model_name}.import", targets=created
        )
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE,
            created_rows=len(created),
            processed_rows=job.total_rows,
        )


class UnreadableFile(Exception):
    pass


def validate(importer, header, rows, ctx, progress):
    """Row checks plus the one check that needs the database: rows that already exist."""
    from .domain.sheets import RowError, column_letter, validate_rows

    outcome = validate_rows(importer.columns, header, rows, ctx, importer.unique_keys, progress)
    if outcome.errors:
        return outcome
    existing = importer.existing(outcome.records)
    if existing:
        key = importer.existing_key
        column = next(c for c in importer.columns if c.key == key)
        letter = column_letter(header.index(column.title)) if column.title in header else "A"
        for rec in outcome.records:
            if rec[key] in existing:
                outcome.errors.append(RowError(rec["_row"], letter, column.title, "exists"))
    return outcome
