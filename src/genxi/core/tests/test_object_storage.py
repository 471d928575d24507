"""Uploads in S3-compatible object storage (issue #17, decision 0035), against moto's S3
server on the loopback (core/testing/s3.py): what is written lands in the private bucket,
comes back out only through the scoped views, is read from there by the background worker,
and is deleted from there. Plus the settings that GENXI_S3_* turn into, and the deploy
check that warns about uploads on one node's disk."""

from __future__ import annotations

import io
import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from genxi.core.checks import check_uploads_shared_by_the_nodes
from genxi.core.photos import THUMB_SIDE
from genxi.core.spreadsheets import write_xlsx
from genxi.core.storage import FILESYSTEM, S3, StorageConfigError, media_storage
from genxi.core.testing.images import jpeg_with_gps
from genxi.core.tests.test_media import case_photo  # noqa: F401 - the fixture
from genxi.notices import services as notice_services
from genxi.notices.tests.helpers import draft, publish
from genxi.people import services as people_services
from genxi.people.importers import IMPORTERS
from genxi.people.models import ImportStatus, Pioneer
from genxi.reports import documents
from genxi.reports import services as report_services
from genxi.reports.selectors import last_complete_month

pytestmark = pytest.mark.django_db


def _served(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_case_photo_is_kept_private_in_the_bucket_and_served_by_scope(
    client,
    world,
    s3_bucket,
    case_photo,  # noqa: F811 - the fixture imported above
):
    _case, photo = case_photo  # uploaded once the bucket is the default storage
    assert s3_bucket.keys() == sorted([photo.image.name, photo.thumbnail.name])
    assert photo.thumbnail.name.startswith("cases/thumbs/")
    stored = {
        "full": s3_bucket.read(photo.image.name),
        "thumb": s3_bucket.read(photo.thumbnail.name),
    }
    # The variants are made before the upload: a stripped JPEG and its thumbnail.
    full, thumb = (Image.open(io.BytesIO(stored[v])) for v in ("full", "thumb"))
    assert full.size == (800, 600) and not full.getexif()
    assert thumb.format == "JPEG" and max(thumb.size) == THUMB_SIDE
    # Private: only the owner is granted anything; an unsigned request is refused, and the
    # storage hands out no signed URL.
    acl = s3_bucket.client.get_object_acl(Bucket=s3_bucket.name, Key=photo.image.name)
    assert [g["Grantee"]["Type"] for g in acl["Grants"]] == ["CanonicalUser"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_bucket.endpoint}/{s3_bucket.name}/{photo.image.name}")
    assert refused.value.code == 403
    assert "Signature" not in photo.image.url

    client.force_login(world.users["community"])
    for variant, expected in stored.items():
        response = client.get(reverse("photo", args=["case", photo.pk, variant]))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert int(response["Content-Length"]) == len(expected)
        assert _served(response) == expected
    client.force_login(world.users["outsider"])
    for variant in stored:
        assert client.get(reverse("photo", args=["case", photo.pk, variant])).status_code == 404


def test_notice_pictures_public_once_published_and_removed_from_the_bucket(
    client, world, s3_bucket, django_capture_on_commit_callbacks
):
    def add(notice):
        upload = SimpleUploadedFile("楼道.jpg", jpeg_with_gps().getvalue(), "image/jpeg")
        return notice_services.notice_image_add(
            actor=world.users["community"], notice=notice, image=upload
        )

    shown = add(draft(world))
    url = reverse("notices:public_image", args=[shown.notice.code, shown.pk, "thumb"])
    assert client.get(url).status_code == 404  # a draft's picture is nobody's yet
    publish(world, shown.notice)
    response = client.get(url)
    assert response.status_code == 200
    assert _served(response) == s3_bucket.read(shown.thumbnail.name)

    dropped = add(draft(world, title="停水通知"))
    assert len(s3_bucket.keys()) == 4
    with django_capture_on_commit_callbacks(execute=True):
        notice_services.notice_image_remove(actor=world.users["community"], picture=dropped)
    assert s3_bucket.keys() == sorted([shown.image.name, shown.thumbnail.name])


def test_a_kept_report_is_downloaded_from_the_bucket_and_replaced_there(
    client, world, s3_bucket, monkeypatch, django_capture_on_commit_callbacks
):
    # The PDF's drawing takes seconds and is not what is tested here.
    monkeypatch.setattr(documents, "make_pdf", lambda data, made_at=None: b"%PDF-1.7 test")
    month = last_complete_month(timezone.localdate())
    report = report_services.report_make(actor=None, region=world.street_a, month=month)
    assert s3_bucket.keys("reports/") == sorted([report.pdf.name, report.xlsx.name])

    def download(user, kind):
        client.force_login(user)
        return client.get(
            reverse("reports:download", args=[world.street_a.code, f"{month:%Y-%m}", kind])
        )

    for kind, field in (("pdf", report.pdf), ("xlsx", report.xlsx)):
        response = download(world.users["street"], kind)
        assert response.status_code == 200
        assert response.content == s3_bucket.read(field.name)
    assert download(world.users["outsider"], "xlsx").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        again = report_services.report_make(actor=None, region=world.street_a, month=month)
    assert again.pdf.name != report.pdf.name  # written beside the old, not over it
    assert s3_bucket.keys("reports/") == sorted([again.pdf.name, again.xlsx.name])


def test_a_background_import_reads_its_file_from_the_bucket(
    world, s3_bucket, settings, django_capture_on_commit_callbacks
):
    settings.GENXI_IMPORT_BACKGROUND_ROWS = 50
    header = [c.title for c in IMPORTERS["pioneers"].columns]
    rows = [
        [f"P-S3-{n:04d}", f"先锋{n}", "13912345678", "党员", "", world.grid_a1.code, "水电维修",
         "周末", "是"]
        for n in range(60)
    ]  # fmt: skip
    upload = SimpleUploadedFile("pioneers.xlsx", write_xlsx("data", header, rows))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = people_services.import_job_create(
            actor=world.users["community"], kind="pioneers", upload=upload, region=world.a1
        )
    assert job.status == ImportStatus.PENDING
    [key] = s3_bucket.keys()
    assert key == job.file.name and key.startswith("imports/")
    assert not s3_bucket.read(key).startswith(b"PK")  # sealed, not the workbook itself
    callbacks[0]()  # the worker: the job's id only, so the file comes from the bucket
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_rows == 60
    assert Pioneer.objects.filter(code__startswith="P-S3-").count() == 60
    assert s3_bucket.keys() == []  # the upload is discarded once imported


MINIO = {
    "GENXI_S3_BUCKET": "genxi-media",
    "GENXI_S3_ENDPOINT_URL": "https://minio.internal:9000",
    "GENXI_S3_ACCESS_KEY": "genxi",
    "GENXI_S3_SECRET_KEY": "a-secret",
    "GENXI_S3_REGION": "cn-east-1",
    "GENXI_S3_ADDRESSING_STYLE": "path",
}


def test_the_environment_chooses_disk_or_a_private_bucket():
    assert media_storage({}) == {"BACKEND": FILESYSTEM}
    bucket = media_storage(MINIO)
    assert bucket["BACKEND"] == S3
    options = bucket["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["addressing_style"]) == (
        "genxi-media",
        "https://minio.internal:9000",
        "path",
    )
    assert options["default_acl"] == "private" and options["querystring_auth"] is False
    assert options["file_overwrite"] is False
    without_keys = media_storage({"GENXI_S3_BUCKET": "genxi-media"})["OPTIONS"]
    assert "access_key" not in without_keys  # boto3's own credentials then
    no_acl = media_storage({**MINIO, "GENXI_S3_OBJECT_ACL": "none"})["OPTIONS"]
    assert no_acl["default_acl"] is None  # an AWS bucket with ACLs disabled
    for broken in (
        {k: v for k, v in MINIO.items() if k != "GENXI_S3_BUCKET"},
        {**MINIO, "GENXI_S3_SECRET_KEY": ""},
        {**MINIO, "GENXI_S3_ADDRESSING_STYLE": "sideways"},
        {**MINIO, "GENXI_S3_OBJECT_ACL": "public-read"},
    ):
        with pytest.raises(StorageConfigError):
            media_storage(broken)


def test_check_deploy_warns_of_uploads_on_one_nodes_disk(settings):
    redis = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    settings.STORAGES = {**settings.STORAGES, "default": media_storage({})}
    settings.CACHES = redis
    assert [m.id for m in check_uploads_shared_by_the_nodes()] == ["genxi.W003"]
    settings.GENXI_MEDIA_SHARED = True  # MEDIA_ROOT on a volume every node mounts
    assert check_uploads_shared_by_the_nodes() == []
    settings.GENXI_MEDIA_SHARED = False
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(MINIO)}
    assert check_uploads_shared_by_the_nodes() == []
    settings.STORAGES = {**settings.STORAGES, "default": media_storage({})}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert check_uploads_shared_by_the_nodes() == []  # one process
