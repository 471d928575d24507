"""Peak memory of checking one uploaded photo (core.photos.clean_photo), each in a fresh
process so the peaks do not mix.

    .venv/bin/python bench/photo_memory.py

Prints, per generated PNG, the file size, the answer and the process's peak RSS before and
after. Decompression bombs must be refused without the peak moving.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import warnings
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
CASES = [(12000, 10000, False), (20000, 20000, False), (60000, 60000, True), (6400, 6250, False)]


def one(width: int, height: int, header_only: bool) -> None:
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genxi.config.settings.test")
    warnings.simplefilter("ignore")
    import django

    django.setup()
    from genxi.core.photos import clean_photo
    from genxi.core.testing.images import png_of_size

    upload = png_of_size(width, height, header_only=header_only)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    try:
        clean_photo(upload)
        answer = "accepted"
    except Exception as exc:  # noqa: BLE001 - the answer is what we print
        answer = f"{type(exc).__name__}"
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    kind = "header only" if header_only else f"{upload.size:,} bytes"
    print(f"{width}×{height} ({kind}): {answer}; peak RSS {before} MB → {after} MB")


if __name__ == "__main__":
    if len(sys.argv) == 4:
        one(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1")
    else:
        for w, h, header_only in CASES:
            subprocess.run(
                [sys.executable, __file__, str(w), str(h), "1" if header_only else "0"], check=True
            )
