"""The apps the fuzz covers, and when it runs (test_fuzz_reads.py, test_fuzz_writes.py): no
hostile input gives a server error (core/testing/fuzz.py) — every page, export and API read
of the apps below with hostile query parameters, and every write with hostile fields, as a
role that may use it.

On PostgreSQL these run only with GENXI_FUZZ_POSTGRES=1 (`make fuzz-postgres`): the writes
take over half an hour there on the shared 2-core machine (a savepoint and the deferred
constraints' check per request), and the one hazard PostgreSQL adds — NUL in text — is
refused before any view (core.params.RefuseNulMiddleware, forms' CharField, the API's schemas;
core/tests/test_bad_input.py). The PostgreSQL runs of 2026-12-03 found no 500 that SQLite
did not (a station photo id that is not a number failed on both; fixed).
"""

import os

import pytest
from django.conf import settings

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

ON_SQLITE_UNLESS_ASKED = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"]
    and os.environ.get("GENXI_FUZZ_POSTGRES") != "1",
    reason="the fuzz runs on SQLite; on PostgreSQL with GENXI_FUZZ_POSTGRES=1",
)
