"""The API's errors: one shape (ErrorOut), every status documented per operation, and
declared formats that match what is answered."""

import json
import re

from genxi.cobuild.tests.helpers import weekly_service


def test_validation_errors_are_error_out_naming_the_fields(client, world):
    client.force_login(world.users["street"])
    response = client.get("/api/v1/grids", {"page": "abc"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "page: Input should be a valid integer, unable to parse string as an integer",
        "errors": {
            "page": ["Input should be a valid integer, unable to parse string as an integer"]
        },
    }
    body = json.dumps({"unit": "x", "need": 1, "quantity": 0.5})
    response = client.post("/api/v1/cobuild/claims", body, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"unit", "quantity"}
    assert response.json()["detail"].startswith("unit: ")


def test_every_operation_documents_its_error_statuses(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    error_ref = "#/components/schemas/ErrorOut"
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            answers = operation["responses"]
            expected = {"401", "422"}
            if "{" in path:
                expected.add("404")
            if method == "post":
                expected |= {"400", "403"}
            assert expected <= set(answers), (method, path, sorted(answers))
            for status in expected:
                schema = answers[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": error_ref}, (method, path, status)


def test_times_of_day_match_their_declared_schema(client, world):
    weekly_service(world)
    client.force_login(world.users["street"])
    doc = client.get("/api/v1/openapi.json").json()
    item = client.get("/api/v1/cobuild/services").json()["items"][0]
    for field in ("start_time", "end_time"):
        declared = doc["components"]["schemas"]["ServiceOut"]["properties"][field]
        assert declared.get("format") != "time"  # RFC 3339 full-time needs an offset
        assert re.fullmatch(declared["pattern"].strip("^$"), item[field]), item[field]
    assert item["start_time"] == "14:00:00"
