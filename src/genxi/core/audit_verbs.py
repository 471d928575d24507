"""The audit verbs: every verb an audit event may carry, with its words (as pretix names
its log actions).

A verb is `<object>.<action>` in lower case (`claim.approve`). Each app registers its own
verbs in its `audit_verbs.py`, which `CoreConfig.ready` imports for every installed app
(as the admin discovers `admin.py`): core imports no app. A verb with `*` is a pattern for
verbs made from a model's name (`admin.*.update`); `*` stands for one word.

`audit.build` refuses a verb nobody registered: it raises `UnregisteredVerb` when
`GENXI_AUDIT_STRICT_VERBS` is on (DEBUG and the tests) and otherwise logs an error and
records the event all the same (decision 0017: a missing label must not lose an event).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

_SHAPE = re.compile(r"^[a-z0-9_]+(\.([a-z0-9_]+|\*))+$")
_WORD = "[a-z0-9_]+"

VERBS: dict[str, str | Promise] = {}  # exact verb → label
PATTERNS: dict[str, str | Promise] = {}  # pattern with `*` → label


class UnregisteredVerb(ValueError):
    """An audit verb that no app registered (core/audit_verbs.py)."""


def register(verb: str, label: str | Promise) -> None:
    """Give `verb` (or a pattern with `*`) its words. Registering it again with the same
    words is harmless; with other words it is a mistake."""
    if not _SHAPE.match(verb):
        raise ImproperlyConfigured(f"audit verb {verb!r} is not <object>.<action> in lower case")
    table = PATTERNS if "*" in verb else VERBS
    if verb in table and str(table[verb]) != str(label):
        raise ImproperlyConfigured(f"audit verb {verb!r} is registered twice with other words")
    table[verb] = label
    _pattern_regex.cache_clear()


@lru_cache(maxsize=1)
def _pattern_regex() -> list[tuple[re.Pattern[str], str]]:
    return [(pattern_regex(p), p) for p in PATTERNS]


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """The regular expression of a pattern: `*` is one word."""
    return re.compile("^" + _WORD.join(re.escape(part) for part in pattern.split("*")) + "$")


def registered_as(verb: str) -> str | None:
    """The registered verb or pattern that covers `verb`, or None."""
    if verb in VERBS:
        return verb
    return next((p for regex, p in _pattern_regex() if regex.match(verb)), None)


def is_registered(verb: str) -> bool:
    return registered_as(verb) is not None


def label(verb: str) -> str:
    """The words for `verb`; the verb itself when nobody registered it (old events)."""
    key = registered_as(verb)
    if key is None:
        return verb
    return str(VERBS[key] if key in VERBS else PATTERNS[key])


def choices() -> list[tuple[str, str]]:
    """(verb or pattern, its words), by verb: the audit page's picker."""
    return sorted(((v, str(lbl)) for v, lbl in {**VERBS, **PATTERNS}.items()))


def check(verb: str) -> None:
    """Refuse a verb nobody registered (see the module's docstring)."""
    if is_registered(verb):
        return
    if getattr(settings, "GENXI_AUDIT_STRICT_VERBS", settings.DEBUG):
        raise UnregisteredVerb(
            f"audit verb {verb!r} is not registered: add it to its app's audit_verbs.py"
        )
    log.error("audit verb %r is not registered; recording it all the same", verb)


# Core's own verbs.
register("auth.login", _("登录"))
register("auth.logout", _("退出登录"))
register("auth.login_failed", _("登录失败"))
register("auth.totp_enrol", _("绑定动态口令"))
register("auth.password_change", _("修改密码"))
register("pii.reveal", _("查看个人信息明文"))
register("pii.rotate", _("轮换个人信息密钥"))
register("pii.reindex", _("重建个人信息索引"))
register("api_token.create", _("创建接口令牌"))
register("api_token.revoke", _("吊销接口令牌"))
register("saved_filter.create", _("保存筛选"))
register("saved_filter.delete", _("删除保存的筛选"))
register("audit.purge", _("清理审计日志"))
# An operator's check that the app's database role can write the audit log (.ci/run does it
# after setting up the two roles; a deployment may too).
register("ops.check", _("运维检查"))
# Writes through the admin site (core.admin.AuditedAdmin): `admin.<model>.<action>`.
register("admin.*.create", _("后台新增"))
register("admin.*.update", _("后台修改"))
register("admin.*.delete", _("后台删除"))
