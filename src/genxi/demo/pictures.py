"""Drawn pictures for the demo (it has no photographs): a plain scene in one colour with a
title above and a caption below, in Noto Sans CJK where the machine has it."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont


def drawn(title: str, caption: str, colour: tuple[int, int, int]) -> Image.Image:
    """An 800×600 picture: a building of `colour` with a white door, `title` and `caption`."""
    try:
        font = ImageFont.truetype("NotoSansCJK-Regular.ttc", 40, index=2)  # SC
    except OSError:  # no CJK font on this machine: the pictures carry no words
        font = None
    image = Image.new("RGB", (800, 600), (245, 241, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 120, 720, 520), fill=colour)
    draw.rectangle((320, 300, 480, 520), fill=(250, 250, 250))
    if font is not None:
        draw.text((100, 40), title, fill=(40, 40, 40), font=font)
        draw.text((100, 540), caption, fill=(40, 40, 40), font=font)
    return image


def jpeg(image: Image.Image, quality: int = 80) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()
