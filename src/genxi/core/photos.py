"""Photos of cases and deliveries: type and size checked, EXIF (so GPS) stripped, thumbnails.

The pixel count is read from the file's header and checked before anything is decoded:
a small file can declare a huge image (a decompression bomb), and decoding it would take
gigabytes. JPEGs are decoded at the smallest scale that still gives MAX_SIDE (draft mode).
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
# 40 megapixels: any phone photo (a 48 MP camera saves 12 MP unless set otherwise). Checking
# a 40 MP PNG raises the process's peak memory by about 230 MB (bench/photo_memory.py).
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048
THUMB_SIDE = 320
ALLOWED = {"JPEG", "PNG", "WEBP"}


def clean_photo(upload) -> tuple[ContentFile, ContentFile, int, int]:
    """Return (image, thumbnail, width, height) as new JPEG files without any metadata."""
    if upload.size > MAX_BYTES:
        raise ValidationError({"photos": _("照片不能超过 10 MB。")})
    unreadable = ValidationError({"photos": _("无法识别的图片;请上传 JPEG、PNG 或 WebP 照片。")})
    try:
        upload.seek(0)
        # Pillow warns above its own limit (~89 MP) while reading the header; ours is lower
        # and checked on the next lines, so its warning would only repeat our refusal.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(upload)  # reads the header only
        with probe:
            kind = probe.format
            width, height = probe.size
            _check_pixels(width, height)
            probe.verify()
        upload.seek(0)
        image: Image.Image = Image.open(upload)
        if kind not in ALLOWED:
            raise unreadable
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale
        image.load()
    except Image.DecompressionBombError as exc:  # Pillow's own, higher limit
        raise _too_large() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise unreadable from exc
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


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise _too_large(width, height)


def _too_large(width: int = 0, height: int = 0) -> ValidationError:
    limit = {"limit": MAX_PIXELS // 10_000, "mp": MAX_PIXELS // 1_000_000}
    if width and height:
        text = _(
            "照片像素过多(%(width)s×%(height)s);"
            "每张照片最多 %(limit)s 万像素(%(mp)s MP),请缩小后再上传。"
        )
        text %= {"width": width, "height": height, **limit}
    else:
        text = _("照片像素过多;每张照片最多 %(limit)s 万像素(%(mp)s MP),请缩小后再上传。") % limit
    return ValidationError({"photos": text})
