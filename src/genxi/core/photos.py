"""Photos of cases and deliveries: type and size checked, EXIF (so GPS) stripped, thumbnails."""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2048
THUMB_SIDE = 320
ALLOWED = {"JPEG", "PNG", "WEBP"}


def clean_photo(upload) -> tuple[ContentFile, ContentFile, int, int]:
    """Return (image, thumbnail, width, height) as new JPEG files without any metadata."""
    if upload.size > MAX_BYTES:
        raise ValidationError({"photos": _("照片不能超过 10 MB。")})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(
            {"photos": _("无法识别的图片;请上传 JPEG、PNG 或 WebP 照片。")}
        ) from exc
    if kind not in ALLOWED:
        raise ValidationError({"photos": _("无法识别的图片;请上传 JPEG、PNG 或 WebP 照片。")})
    # Apply the camera's rotation, then drop every tag (GPS position included).
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    width, height = image.size
    name = uuid.uuid4().hex
    full = io.BytesIO()
    image.save(full, "JPEG", quality=85, optimize=True)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    small = io.BytesIO()
    thumb.save(small, "JPEG", quality=80)
    return (
        ContentFile(full.getvalue(), f"{name}.jpg"),
        ContentFile(small.getvalue(), f"{name}_t.jpg"),
        width,
        height,
    )
