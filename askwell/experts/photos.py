"""Contributor photos: a person's photo or an organization's logo, as
uploaded on the profile form or in the admin.

An upload is checked in this order, each check before anything more of the
file is read:

1. its size in bytes, at most MAX_BYTES (askwell/core/uploads.py has
   already stopped storing any upload past its own, larger cap);
2. what it is, by its content and never its name: Pillow is asked to open
   only JPEG, PNG and WebP, so a text file called photo.jpg, or an image
   in a format with a less travelled decoder, is refused;
3. its size in pixels, from the header, before any pixel is decoded: a
   decompression bomb (a small file that unpacks to gigabytes) is refused
   here, by MAX_PIXELS or, far past it, by Pillow's own check.

Only then is it decoded, turned upright (EXIF orientation), converted to
sRGB, cropped to a centred square and scaled to SIZE × SIZE, and written
anew as WebP with no metadata at all: no EXIF (GPS position, camera,
time), no XMP, no colour profile. What is stored is never the file that
was sent.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
SIZE = 256
FORMATS = ("JPEG", "PNG", "WEBP")
# The limits as the form's help and errors say them.
LIMITS_IN_WORDS = "a JPEG, PNG or WebP image of at most 5 MB and 25 megapixels"


@dataclass(frozen=True)
class Photo:
    """A photo ready to store: a SIZE × SIZE WebP without metadata, made
    only by prepare()."""

    content: bytes
    extension: str = "webp"


def prepare(upload: UploadedFile[bytes]) -> Photo:
    """The photo to store for `upload`; ValidationError (code too_large,
    empty, not_an_image, too_many_pixels or unreadable) saying what is
    wrong with it, in the order the module docstring gives."""
    size = upload.size or 0
    if size > MAX_BYTES:
        raise ValidationError(
            "This file is larger than 5 MB. Choose %(limits)s.",
            code="too_large",
            params={"limits": LIMITS_IN_WORDS},
        )
    if size == 0:
        raise ValidationError(
            "This file is empty. Choose %(limits)s.",
            code="empty",
            params={"limits": LIMITS_IN_WORDS},
        )
    upload.seek(0)
    try:
        image = Image.open(upload, formats=FORMATS)
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This file is not a JPEG, PNG or WebP image (whatever its name "
            "says). Choose %(limits)s.",
            code="not_an_image",
            params={"limits": LIMITS_IN_WORDS},
        ) from None
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise _too_many_pixels(width, height)
        try:
            square = _square(image)
        # Pillow's decoders fail in many ways on a damaged file (OSError for
        # a truncated one, SyntaxError, ValueError, struct.error, EOFError…).
        except Exception:
            raise ValidationError(
                "This image could not be read: the file may be damaged or "
                "incomplete. Choose %(limits)s.",
                code="unreadable",
                params={"limits": LIMITS_IN_WORDS},
            ) from None
    out = io.BytesIO()
    square.save(out, "WEBP", quality=85, method=4)
    return Photo(out.getvalue())


def _too_many_pixels(width: int = 0, height: int = 0) -> ValidationError:
    size = f"{width:,} × {height:,} pixels" if width else "far too many pixels"
    return ValidationError(
        "This image is %(size)s, more than 25 megapixels (for example "
        "6,000 × 4,000). Choose a smaller image: %(limits)s.",
        code="too_many_pixels",
        params={"size": size, "limits": LIMITS_IN_WORDS},
    )


def _square(image: Image.Image) -> Image.Image:
    """`image` decoded, upright, in sRGB, cropped and scaled to SIZE × SIZE,
    with no metadata."""
    if image.format == "JPEG":
        # Decode a large JPEG at a fraction of its size (still at least
        # twice SIZE): far less memory and time than the full image.
        image.draft("RGB", (SIZE * 2, SIZE * 2))
    image.load()
    profile = image.info.get("icc_profile")
    # A broken orientation tag leaves the image as it was sent.
    with contextlib.suppress(Exception):
        image = ImageOps.exif_transpose(image)
    mode = "RGBA" if image.has_transparency_data else "RGB"
    converted = _to_srgb(image, profile, mode) or image.convert(mode)
    square = ImageOps.fit(converted, (SIZE, SIZE), Image.Resampling.LANCZOS)
    square.info = {}
    return square


def _to_srgb(
    image: Image.Image, profile: bytes | None, mode: str
) -> Image.Image | None:
    """`image` converted from its embedded colour profile to sRGB, or None
    when it has no profile or the profile does not fit it (then a plain
    conversion follows, as a browser would show it without one)."""
    if not profile:
        return None
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        srgb = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(image, source, srgb, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
