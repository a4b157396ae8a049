"""Book covers for the demo, drawn at load time so no image is copied from anywhere."""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

PALETTE = [
    ("#0b5d57", "#f4efe4"),
    ("#1e3a8a", "#fdf6e3"),
    ("#7c2d12", "#fff7ed"),
    ("#3f3f46", "#ecfeff"),
]


def draw_cover(title: str, author: str, *, seed: int = 0) -> bytes:
    """A 320×480 PNG: title and author on a plain coloured cover."""
    background, ink = PALETTE[seed % len(PALETTE)]
    image = Image.new("RGB", (320, 480), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle([16, 16, 303, 463], outline=ink, width=3)
    title_font = ImageFont.load_default(size=30)
    author_font = ImageFont.load_default(size=18)
    y = 70
    for line in textwrap.wrap(title, width=16)[:7]:
        draw.text((32, y), line, fill=ink, font=title_font)
        y += 40
    draw.line([32, y + 16, 140, y + 16], fill=ink, width=3)
    draw.text((32, 410), author, fill=ink, font=author_font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
