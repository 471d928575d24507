"""Roles, the permissions each carries, and which roles must use a second factor."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDITOR = "auditor", _("安全审计员")
    STREET_ADMIN = "street_admin", _("街道管理员")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    GRID_WORKER = "grid_worker", _("网格员/海棠先锋")
    UNIT_LIAISON = "unit_liaison", _("共建单位联络人")
    DEPARTMENT_OFFICER = "department_officer", _("职能部门人员")
    # The organisation office (组织办) of a street: its cadres, their training, postings
    # and assessments (docs/cadres.md). It holds no other business data.
    ORG_OFFICE = "org_office", _("组织人事(组织办)")


class Perm(models.TextChoices):
    VIEW_DATA = "view_data", _("查看业务数据")
    VIEW_RESIDENTS = "view_residents", _("查看居民信息")
    REVEAL_PII = "reveal_pii", _("查看个人信息明文")
    IMPORT_DATA = "import_data", _("导入数据")
    VIEW_AUDIT = "view_audit", _("查看审计日志")
    MANAGE_ACCOUNTS = "manage_accounts", _("管理账号")
    ADMIN_SITE = "admin_site", _("使用后台管理")
    EDIT_REFERENCE = "edit_reference", _("维护全市基础数据")
    MANAGE_CADRES = "manage_cadres", _("管理干部培养与考核")
    # The co-building lists (needs, resources, projects, services, matching, joint meetings)
    # are worked by a place's staff, its grid workers and the partner units. A department
    # officer reads an item it is sent to, but has no part in the lists: no menu for them.
    COBUILD = "cobuild", _("参与共建")


# 等保 2.0 level 3 keeps the three administrators apart: the system admin runs the system,
# the security admin runs accounts, the auditor reads the audit log; none does another's job.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {Perm.VIEW_DATA, Perm.IMPORT_DATA, Perm.ADMIN_SITE, Perm.EDIT_REFERENCE, Perm.COBUILD}
    ),
    Role.SECURITY_ADMIN: frozenset({Perm.MANAGE_ACCOUNTS, Perm.ADMIN_SITE}),
    Role.AUDITOR: frozenset({Perm.VIEW_AUDIT}),
    Role.STREET_ADMIN: frozenset(
        {
            Perm.VIEW_DATA,
            Perm.VIEW_RESIDENTS,
            Perm.REVEAL_PII,
            Perm.IMPORT_DATA,
            Perm.ADMIN_SITE,
            Perm.COBUILD,
        }
    ),
    Role.COMMUNITY_WORKER: frozenset(
        {Perm.VIEW_DATA, Perm.VIEW_RESIDENTS, Perm.REVEAL_PII, Perm.IMPORT_DATA, Perm.COBUILD}
    ),
    Role.GRID_WORKER: frozenset({Perm.VIEW_DATA, Perm.VIEW_RESIDENTS, Perm.COBUILD}),
    Role.UNIT_LIAISON: frozenset({Perm.VIEW_DATA, Perm.COBUILD}),
    Role.DEPARTMENT_OFFICER: frozenset({Perm.VIEW_DATA}),
    Role.ORG_OFFICE: frozenset({Perm.MANAGE_CADRES}),
}

ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
GLOBAL_ROLES = frozenset({Role.SYSTEM_ADMIN})
# The roles that carry business data; an account holding an admin role holds none of them.
DATA_ROLES = frozenset(Role) - ADMIN_ROLES


def role_conflict(held: frozenset[str] | set[str], role: str) -> str | None:
    """The held role that may not go with `role` on one account, or None.

    An admin role stands alone: the three administrators exclude each other and every
    data-carrying role, so no administrator can do another's job or read business data
    through a second role."""
    others = set(held) - {role}
    if role in ADMIN_ROLES and others:
        return sorted(others)[0]
    admins = others & ADMIN_ROLES
    if admins:
        return sorted(admins)[0]
    return None


# The staff of a place: they accept and dispatch cases there, approve claims, run meetings.
STAFF_ROLES = frozenset({Role.COMMUNITY_WORKER, Role.STREET_ADMIN})
# Who records a request at intake (登记诉求, 走访登记): the place's staff and its grid workers,
# who take calls and visit. A liaison, a department officer or the system admin receives
# cases, it does not take them in (docs/security.md, "Write permissions").
INTAKE_ROLES = STAFF_ROLES | {Role.GRID_WORKER}
