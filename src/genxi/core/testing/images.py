"""Test images for every app's photo uploads."""

import io
import struct
import zlib

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


def png_of_size(width: int, height: int, *, header_only: bool = False) -> io.BytesIO:
    """A black-and-white PNG of any size, compressed to almost nothing (a decompression
    bomb when large), made by hand so no test decodes it. `header_only` gives the header and
    no pixel data at all."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    body = b""
    if not header_only:
        packer = zlib.compressobj(9)
        row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the row's bits
        parts = [packer.compress(row * min(height, 256)) for _ in range(height // 256)]
        parts.append(packer.compress(row * (height % 256)))
        parts.append(packer.flush())
        body = chunk(b"IDAT", b"".join(parts))
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + body + chunk(b"IEND", b"")
    buf = io.BytesIO(data)
    buf.name = "photo.png"
    buf.size = len(data)
    return buf
