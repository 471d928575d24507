"""Test images for every app's photo uploads."""

import io

from PIL import Image


def jpeg_with_gps() -> io.BytesIO:
    """A small JPEG carrying an EXIF GPS position (the upload must lose it)."""
    image = Image.new("RGB", (800, 600), (200, 120, 40))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 19.0, 12.0), 3: "E", 4: (120.0, 35.0, 20.0)}
    exif[0x010F] = "GenxiCam"
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif.tobytes())
    buf.seek(0)
    buf.name = "photo.jpg"
    buf.size = len(buf.getvalue())
    return buf
