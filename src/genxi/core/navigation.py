"""The menu each role sees. Apps add their entries here, with the permission they need."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .roles import STAFF_ROLES, Perm, Role
from .scope import Scope


@dataclass(frozen=True)
class NavItem:
    label: StrOrPromise
    url_name: str
    perm: str
    group: StrOrPromise = ""  # items with the same group share one drop-down menu
    roles: frozenset[str] = frozenset()  # if set, only for a holder of one of these roles
    fragment: str = ""  # a part of the page (e.g. a dashboard's section)

    @property
    def url(self) -> str:
        return reverse(self.url_name) + (f"#{self.fragment}" if self.fragment else "")


@dataclass
class NavGroup:
    label: StrOrPromise
    items: list[NavItem] = field(default_factory=list)


ORGANISATION = _("组织")
PEOPLE = _("人员")
COBUILD = _("共建")
STATIONS = _("驿站")
CADRES = _("干部培养")
FIELDWORK = _("走访")
EVENTS = _("周末社区")
ALERTS = _("预警")
INSPECTIONS = _("检查整改")

METRICS_ROLES = STAFF_ROLES | {Role.SYSTEM_ADMIN, Role.DEPARTMENT_OFFICER}
DASHBOARD_ROLES = METRICS_ROLES | {Role.GRID_WORKER}
# Stations are tended by a place's staff and the pioneers on duty (grid workers' logins).
TEND_ROLES = STAFF_ROLES | {Role.GRID_WORKER}
HOURS_ROLES = STAFF_ROLES | {Role.GRID_WORKER}  # volunteering: staff, and pioneers their own
STATION_ROLES = TEND_ROLES | {Role.SYSTEM_ADMIN, Role.DEPARTMENT_OFFICER}
# Field work is done by grid workers and pioneers; care rounds are theirs and the
# community's staff's only (docs/fieldwork.md).
VISIT_ROLES = TEND_ROLES
CARE_ROLES = frozenset({Role.GRID_WORKER, Role.COMMUNITY_WORKER})
# Inspections are run by a place's staff with department officers, grid workers and
# volunteers (grid workers' logins) on the joint team.
INSPECTION_ROLES = STATION_ROLES

MENU = [
    NavItem(_("首页"), "home", ""),
    NavItem(_("诉求"), "cases:queue", Perm.VIEW_DATA),
    NavItem(_("我的任务"), "cases:tasks", Perm.VIEW_DATA),
    NavItem(_("组织架构"), "regions:tree", Perm.VIEW_DATA, ORGANISATION),
    NavItem(_("网格地图"), "regions:map", Perm.VIEW_DATA, ORGANISATION),
    NavItem(_("党组织"), "orgs:party", Perm.VIEW_DATA, ORGANISATION),
    NavItem(_("党员生活"), "partylife:home", Perm.VIEW_RESIDENTS, ORGANISATION),
    NavItem(_("地址库"), "regions:addresses", Perm.IMPORT_DATA, ORGANISATION),
    NavItem(_("海棠先锋"), "people:pioneers", Perm.VIEW_DATA, PEOPLE),
    NavItem(_("居民"), "people:residents", Perm.VIEW_RESIDENTS, PEOPLE),
    NavItem(_("共建单位"), "orgs:units", Perm.COBUILD, COBUILD),
    NavItem(_("需求清单"), "cobuild:needs", Perm.COBUILD, COBUILD),
    NavItem(_("资源清单"), "cobuild:resources", Perm.COBUILD, COBUILD),
    NavItem(_("项目清单"), "cobuild:projects", Perm.COBUILD, COBUILD),
    NavItem(_("项目排名"), "cobuild:rankings", Perm.COBUILD, COBUILD),
    NavItem(_("服务清单"), "cobuild:services", Perm.COBUILD, COBUILD),
    NavItem(_("匹配"), "cobuild:matches", Perm.COBUILD, COBUILD),
    NavItem(_("联席会"), "cobuild:meetings", Perm.COBUILD, COBUILD),
    NavItem(_("驿站列表"), "stations:stations", Perm.VIEW_DATA, STATIONS, roles=STATION_ROLES),
    NavItem(_("留言审核"), "stations:reflections", Perm.VIEW_DATA, STATIONS, roles=TEND_ROLES),
    # The organisation office's (组织办) pages: cadre data is personal, no other role has it.
    NavItem(_("干部名册"), "cadres:cadres", Perm.MANAGE_CADRES, CADRES),
    NavItem(_("干部培训"), "cadres:programmes", Perm.MANAGE_CADRES, CADRES),
    NavItem(_("综合考核"), "cadres:rounds", Perm.MANAGE_CADRES, CADRES),
    NavItem(_("考核方案"), "cadres:scheme", Perm.MANAGE_CADRES, CADRES),
    NavItem(_("民情日志"), "fieldwork:today", Perm.VIEW_RESIDENTS, FIELDWORK, roles=VISIT_ROLES),
    NavItem(_("走访计划"), "fieldwork:plan", Perm.VIEW_RESIDENTS, FIELDWORK, roles=VISIT_ROLES),
    NavItem(_("住户"), "fieldwork:households", Perm.VIEW_RESIDENTS, FIELDWORK),
    NavItem(_("关爱探访"), "fieldwork:care", Perm.VIEW_RESIDENTS, FIELDWORK, roles=CARE_ROLES),
    NavItem(_("走访覆盖率"), "fieldwork:home", Perm.VIEW_RESIDENTS, FIELDWORK),
    NavItem(_("每周小结"), "fieldwork:weekly", Perm.VIEW_RESIDENTS, FIELDWORK, roles=STAFF_ROLES),
    NavItem(_("活动日历"), "events:calendar", Perm.VIEW_DATA, EVENTS, roles=STATION_ROLES),
    NavItem(_("待写总结"), "events:summaries", Perm.VIEW_DATA, EVENTS, roles=STAFF_ROLES),
    NavItem(_("主题宣传"), "campaigns:campaigns", Perm.VIEW_DATA, EVENTS, roles=METRICS_ROLES),
    # The dashboard's 为民服务 section: projects, events and campaigns with their charts.
    NavItem(
        _("为民服务统计"),
        "dashboards:home",
        Perm.VIEW_DATA,
        EVENTS,
        roles=METRICS_ROLES,
        fragment="services",
    ),
    NavItem(_("社区公告"), "notices:notices", Perm.VIEW_DATA, roles=STATION_ROLES),
    NavItem(_("志愿时长"), "volunteering:home", Perm.VIEW_DATA, EVENTS, roles=HOURS_ROLES),
    NavItem(_("预警清单"), "alerts:warnings", Perm.VIEW_DATA, ALERTS, roles=METRICS_ROLES),
    NavItem(_("每月一题"), "alerts:focus_list", Perm.VIEW_DATA, ALERTS, roles=METRICS_ROLES),
    NavItem(_("检查轮次"), "inspections:rounds", Perm.VIEW_DATA, INSPECTIONS, INSPECTION_ROLES),
    NavItem(_("整改通知单"), "inspections:notices", Perm.VIEW_DATA, INSPECTIONS, INSPECTION_ROLES),
    NavItem(_("检查对象"), "inspections:targets", Perm.VIEW_DATA, INSPECTIONS, INSPECTION_ROLES),
    NavItem(_("检查表"), "inspections:templates", Perm.VIEW_DATA, INSPECTIONS, INSPECTION_ROLES),
    NavItem(_("数据导入"), "people:imports", Perm.IMPORT_DATA),
    # The loop's figures are for those who run it over a place: a liaison or a grid worker
    # would see a page of dashes.
    NavItem(_("统计"), "cases:metrics", Perm.VIEW_DATA, roles=METRICS_ROLES),
    # Each level's dashboard over the viewer's own area (a grid worker: the grid's).
    NavItem(_("数据看板"), "dashboards:home", Perm.VIEW_DATA, roles=DASHBOARD_ROLES),
    NavItem(_("审计日志"), "audit", Perm.VIEW_AUDIT),
    NavItem(_("后台管理"), "admin:index", Perm.ADMIN_SITE),
]


def _permits(scope: Scope, item: NavItem) -> bool:
    if item.perm and not scope.has(item.perm):
        return False
    return not (item.roles and not scope.roles & item.roles)


def allows(scope: Scope, url_name: str) -> bool:
    """Whether the menu offers `url_name` to the scope: an app's own tabs show a page only
    to those the menu offers it to (the page refuses the others). A page the menu does not
    list is allowed."""
    items = [item for item in MENU if item.url_name == url_name]
    return not items or any(_permits(scope, item) for item in items)


def menu_for(scope: Scope) -> list[NavItem | NavGroup]:
    """The menu entries the scope permits, items of one group gathered where it first
    appears."""
    entries: list[NavItem | NavGroup] = []
    groups: dict[str, NavGroup] = {}
    for item in MENU:
        if not _permits(scope, item):
            continue
        if not item.group:
            entries.append(item)
            continue
        key = str(item.group)
        if key not in groups:
            groups[key] = NavGroup(item.group)
            entries.append(groups[key])
        groups[key].items.append(item)
    return entries
