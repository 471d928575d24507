"""Peak memory of checking one uploaded photo (core.photos.clean_photo) against the baseline
of decoding it with Pillow's defaults and nothing checked first (open, load, convert to RGB,
shrink to 2048 pixels: what clean_photo did before it read the size from the header). Each
check runs in a fresh process so the peaks do not mix; no database, no HTTP.

    .venv/bin/python bench/photo_memory.py

Prints, per generated PNG and per side, the answer and the process's peak RSS before and
after; writes bench/results/photo_memory.json. Decompression bombs must be refused by
clean_photo without the peak moving.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import warnings
from pathlib import Path

from benchcommon import write_result

SRC = Path(__file__).resolve().parent.parent / "src"
CASES = [(12000, 10000, False), (20000, 20000, False), (60000, 60000, True), (6400, 6250, False)]


def baseline(upload) -> None:
    from PIL import Image, ImageOps

    image = Image.open(upload)
    image.load()
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((2048, 2048))


def one(side: str, width: int, height: int, header_only: bool) -> dict:
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genxi.config.settings.test")
    warnings.simplefilter("ignore")
    import django

    django.setup()
    from genxi.core.photos import clean_photo
    from genxi.core.testing.images import png_of_size

    upload = png_of_size(width, height, header_only=header_only)
    check = clean_photo if side == "clean_photo" else baseline
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    try:
        check(upload)
        answer = "accepted"
    except Exception as exc:  # noqa: BLE001 - the answer is what we print
        answer = f"{type(exc).__name__}"
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return {
        "side": side,
        "png": f"{width}×{height}",
        "megapixels": round(width * height / 1e6, 1),
        "bytes": None if header_only else upload.size,
        "answer": answer,
        "peak_rss_before_mb": before,
        "peak_rss_after_mb": after,
    }


def main() -> None:
    rows = []
    for w, h, header_only in CASES:
        for side in ("baseline", "clean_photo"):
            done = subprocess.run(
                [sys.executable, __file__, side, str(w), str(h), "1" if header_only else "0"],
                check=True,
                capture_output=True,
                text=True,
            )
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            kind = "header only" if row["bytes"] is None else f"{row['bytes']:,} bytes"
            print(
                f"{row['png']} ({kind}) {side:11}: {row['answer']}; peak RSS "
                f"{row['peak_rss_before_mb']} MB → {row['peak_rss_after_mb']} MB"
            )
    write_result(
        "photo_memory",
        {
            "what": "peak resident memory (ru_maxrss) of one process checking one PNG, "
            "in-process; baseline: Pillow's defaults with nothing checked first",
            "checks": rows,
        },
    )


if __name__ == "__main__":
    if len(sys.argv) == 5:
        print(json.dumps(one(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1")))
    else:
        main()
