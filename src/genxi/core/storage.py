"""Where uploaded files are kept, from the environment (docs/deploy.md, decision 0035): this
node's disk (MEDIA_ROOT), or an S3-compatible bucket (MinIO on a government intranet) that
every app node and worker shares.

Read once by the settings (`STORAGES["default"]`). Every upload — photos and their
thumbnails, notice pictures, signatures, certificates, kept monthly reports, encrypted
import files — is written and read through Django's storage API only, so the same code
runs on either. The bucket stays private: objects are written with the `private` ACL and
no signed URL is ever made (`querystring_auth` off); the files reach a browser only through
the app's scoped views (core/media.py and the apps' download views). Pure Python: the
settings module imports it before Django is set up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
ADDRESSING_STYLES = ("auto", "path", "virtual")
# The canned ACL written with each object: never a public one. `none` sends no ACL, for an
# AWS bucket whose Object Ownership is "bucket owner enforced" (ACLs disabled: a PUT that
# names `private` is refused there); the bucket's policy keeps it private then.
OBJECT_ACLS = ("private", "bucket-owner-full-control", "none")
# The variables of the bucket; any of them without GENXI_S3_BUCKET is a mistake.
S3_VARIABLES = (
    "GENXI_S3_BUCKET",
    "GENXI_S3_ENDPOINT_URL",
    "GENXI_S3_ACCESS_KEY",
    "GENXI_S3_SECRET_KEY",
    "GENXI_S3_REGION",
    "GENXI_S3_ADDRESSING_STYLE",
    "GENXI_S3_PREFIX",
    "GENXI_S3_OBJECT_ACL",
)


class StorageConfigError(ValueError):
    """The environment names a bucket's settings inconsistently."""


def media_storage(env: Mapping[str, str]) -> dict[str, Any]:
    """The `STORAGES["default"]` entry: the bucket when GENXI_S3_BUCKET is set, else disk."""
    bucket = env.get("GENXI_S3_BUCKET", "").strip()
    if not bucket:
        stray = [name for name in S3_VARIABLES if env.get(name, "").strip()]
        if stray:
            raise StorageConfigError(
                f"{', '.join(stray)} set without GENXI_S3_BUCKET: set the bucket too, or "
                "unset them to keep uploads on this node's disk."
            )
        return {"BACKEND": FILESYSTEM}
    style = env.get("GENXI_S3_ADDRESSING_STYLE", "").strip().lower() or None
    if style is not None and style not in ADDRESSING_STYLES:
        raise StorageConfigError(
            f"GENXI_S3_ADDRESSING_STYLE is {style!r}; use one of {', '.join(ADDRESSING_STYLES)}."
        )
    acl = env.get("GENXI_S3_OBJECT_ACL", "").strip().lower() or "private"
    if acl not in OBJECT_ACLS:
        raise StorageConfigError(
            f"GENXI_S3_OBJECT_ACL is {acl!r}; use one of {', '.join(OBJECT_ACLS)} "
            "(uploads are never public)."
        )
    access = env.get("GENXI_S3_ACCESS_KEY", "").strip()
    secret = env.get("GENXI_S3_SECRET_KEY", "").strip()
    if bool(access) != bool(secret):
        raise StorageConfigError(
            "Set both GENXI_S3_ACCESS_KEY and GENXI_S3_SECRET_KEY, or neither (boto3's own "
            "credentials: AWS_* variables, an instance role)."
        )
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": env.get("GENXI_S3_ENDPOINT_URL", "").strip() or None,
        "region_name": env.get("GENXI_S3_REGION", "").strip() or None,
        "addressing_style": style,
        "signature_version": "s3v4",  # MinIO's, and every AWS region's
        "location": env.get("GENXI_S3_PREFIX", "").strip().strip("/"),
        # Private objects, never a signed URL: a URL would bypass the scope check.
        "default_acl": None if acl == "none" else acl,
        "querystring_auth": False,
        # A name already taken gets a new one, as on disk (a remade report is written
        # beside the old one, which is deleted once the new row is committed).
        "file_overwrite": False,
    }
    if access:
        options["access_key"] = access
        options["secret_key"] = secret
    return {"BACKEND": S3, "OPTIONS": options}


def is_local(storage: Mapping[str, Any]) -> bool:
    """Whether a STORAGES entry keeps the files on this node's disk."""
    return storage.get("BACKEND") == FILESYSTEM
