"""The matrix world of these tests, with what it lacks for cadre data: the organisation
office of each street (`org_office` on street A, `org_office_b` on street B), signed in
like the world's roles. The world's own roles see no cadre data at all."""

import pytest
from django.conf import settings
from django.test import Client

from genxi.core.roles import Role
from genxi.core.testing.world import make_user

OFFICE_ROLES = ("org_office", "org_office_b")


@pytest.fixture(scope="module")
def matrix_world(matrix_world, django_db_blocker):
    with django_db_blocker.unblock():
        offices = {
            "org_office": make_user("orgoffice", Role.ORG_OFFICE, region=matrix_world.street_a),
            "org_office_b": make_user("orgofficeb", Role.ORG_OFFICE, region=matrix_world.street_b),
        }
        for role, user in offices.items():
            client = Client()
            client.force_login(user)
            matrix_world.objs["sessions"][role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        matrix_world.objs["offices"] = {
            matrix_world.street_a.pk: offices["org_office"],
            matrix_world.street_b.pk: offices["org_office_b"],
        }
    return matrix_world
