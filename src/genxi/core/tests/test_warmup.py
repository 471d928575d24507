"""A web worker builds the intake's in-memory models before its first request
(genxi.config.warmup, called by deploy/gunicorn.conf.py's post_worker_init)."""

import logging

from django.db import connection
from django.test.utils import CaptureQueriesContext

from genxi.config import warmup
from genxi.regions import selectors as regions


def test_a_warmed_worker_places_its_first_point_without_building(world):
    regions.forget_locator()
    took = warmup.warm()
    assert set(took) == {"locator", "categories", "classifier", "addresses"}
    with CaptureQueriesContext(connection) as queries:
        assert regions.locate(31.321, 120.591) == world.grid_a1
    # The grids' outlines were read by the warm-up, not by this call (which may only ask
    # whether the grids changed, once its recheck time has passed).
    assert not [q for q in queries if '"geometry"' in q["sql"]]


def test_a_step_that_fails_is_logged_and_the_others_still_built(world, monkeypatch, caplog):
    regions.forget_locator()
    built = warmup.steps()

    def broken():
        raise ConnectionError("the database is not up yet")

    monkeypatch.setattr(warmup, "steps", lambda: {**built, "categories": broken})
    with caplog.at_level(logging.WARNING, logger="genxi.warmup"):
        took = warmup.warm()
    assert "categories" not in took and {"locator", "addresses"} <= set(took)
    assert "warm-up step categories failed" in caplog.text
