"""Names that say one thing: no model shares its name with a module of its app, the
notification's send is not a bare "Delivery" (a claim's 交付 is one too), one constant
for the staff roles, and the renames keep their rows."""

import ast
import pkgutil
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import genxi

SRC = Path(genxi.__file__).parent


def _genxi_apps():
    return [a for a in apps.get_app_configs() if a.name.startswith("genxi.")]


# A model may share its name with the package that is about it and nothing else: core's
# `notifications` package is the inbox and its channels, the code of `Notification` and
# `NotificationDelivery` (decision 0015). A layer's module (`services`, `forms`…) may not.
OWN_PACKAGE = {"core.Notification": "notifications"}


def test_no_model_is_named_like_a_module_of_its_app():
    clashes = []
    for app in _genxi_apps():
        modules = {m.name for m in pkgutil.iter_modules([app.path])}
        for model in app.get_models():
            name = model.__name__.lower()
            key = f"{app.label}.{model.__name__}"
            if {name, f"{name}s", name.removesuffix("s")} & modules - {OWN_PACKAGE.get(key)}:
                clashes.append(key)
    assert clashes == []


def test_no_model_name_is_the_first_word_of_another_apps_model():
    """A bare `Delivery` beside cobuild's `DeliveryPhoto` (a claim's delivery) reads as
    the same thing; a model's name that starts another app's model must be that app's."""
    models = [(a.label, m.__name__) for a in _genxi_apps() for m in a.get_models()]
    shadowed = [
        f"{app}.{name} / {other_app}.{other}"
        for app, name in models
        for other_app, other in models
        if other_app != app
        and other != name
        and other.startswith(name)
        and other[len(name)].isupper()
    ]
    assert shadowed == []


def test_the_staff_roles_are_one_constant():
    """`STAFF_ROLES` lives in core/roles.py; no module keeps a second name for it."""
    aliases = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Name | ast.Attribute)
                and (getattr(node.value, "id", None) or getattr(node.value, "attr", None))
                == "STAFF_ROLES"
            ):
                aliases.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert aliases == []


def _migration_before(executor, app_label: str, name_part: str):
    target = next(k for k in executor.loader.graph.nodes if k[0] == app_label and name_part in k[1])
    parents = executor.loader.graph.node_map[target].parents
    return next(p.key for p in parents if p.key[0] == app_label)


@pytest.mark.django_db(transaction=True)
def test_the_renames_keep_their_rows():
    from genxi.cobuild.models import ServiceOffer
    from genxi.core.models import NotificationDelivery
    from genxi.core.testing.world import build_world

    world = build_world()
    executor = MigrationExecutor(connection)
    before_core = _migration_before(executor, "core", "notificationdelivery")
    before_cobuild = _migration_before(executor, "cobuild", "serviceoffer")
    executor.migrate([before_core, before_cobuild])
    old = executor.loader.project_state([before_core, before_cobuild]).apps
    notification = old.get_model("core", "Notification").objects.create(
        user_id=world.users["community"].pk, verb="t", text="旧通知"
    )
    old.get_model("core", "Delivery").objects.create(notification=notification, channel="sms")
    old.get_model("cobuild", "Service").objects.create(
        community_id=world.a1.pk,
        title="法律咨询",
        kind="legal",
        place="社区中心",
        weekday=1,
        start_time="14:00",
        end_time="16:00",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert NotificationDelivery.objects.get().channel == "sms"
    assert ServiceOffer.objects.get().title == "法律咨询"
    assert NotificationDelivery._meta.db_table == "core_notificationdelivery"
    assert ServiceOffer._meta.db_table == "cobuild_serviceoffer"
