"""An S3 server on the loopback for the object-storage tests (decision 0035): moto's server
mode, one per test process, started the first time a test asks for a bucket.

`s3_bucket` gives a test a fresh bucket of its own and makes it the default storage, with
the settings a deployment gets from GENXI_S3_* (core/storage.py), so the uploads go over
HTTP to the server exactly as they would to MinIO. Nothing leaves the machine.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from genxi.core.storage import media_storage

ACCESS_KEY = "genxi-test-access"
SECRET_KEY = "genxi-test-secret"  # noqa: S105 - moto accepts any
REGION = "us-east-1"


@dataclass
class Bucket:
    name: str
    endpoint: str
    client: Any  # boto3's S3 client, with the same credentials as the app

    def keys(self, prefix: str = "") -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture(scope="session")
def s3_server():
    """The endpoint URL of moto's S3 server, on a free loopback port."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_server, settings) -> Bucket:
    """A new, empty bucket, made the default storage for this test."""
    import boto3

    name = f"genxi-test-{uuid.uuid4().hex[:16]}"
    env = {
        "GENXI_S3_BUCKET": name,
        "GENXI_S3_ENDPOINT_URL": s3_server,
        "GENXI_S3_ACCESS_KEY": ACCESS_KEY,
        "GENXI_S3_SECRET_KEY": SECRET_KEY,
        "GENXI_S3_REGION": REGION,
        "GENXI_S3_ADDRESSING_STYLE": "path",  # MinIO's
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(env)}
    return Bucket(name, s3_server, client)
