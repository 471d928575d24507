"""No hostile input gives a server error (core/testing/fuzz.py): every page, export and API
read of the apps below with hostile query parameters, and every write with hostile fields,
as a role that may use it."""

from genxi.core.testing.fuzz import read_fuzz, write_fuzz
from genxi.core.testing.page_matrix import (
    page_world,  # noqa: F401  (the fixture)
    write_world,  # noqa: F401  (the fixture)
)

APPS = [
    f"genxi.{name}"
    for name in (
        "campaigns",
        "volunteering",
        "reports",
        "transparency",
        "notices",
        "partylife",
        "inspections",
        "fieldwork",
        "stations",
        "cadres",
        "alerts",
        "dashboards",
        "events",
    )
]

test_hostile_query = read_fuzz(APPS)
test_hostile_write = write_fuzz(APPS)
