"""Prototype pictures: checked, re-encoded small, stripped of every metadata.

An upload is read by Pillow only after its size and declared dimensions are checked
(a "decompression bomb" is refused before it is decoded). What is kept is a new image
made from the pixels alone — no EXIF (and so no GPS position), no ICC profile, no
comments — turned the way the camera meant (EXIF orientation applied first), scaled to
fit :data:`MAX_SIDE` and saved as WebP at the best quality that stays within
:data:`TARGET_BYTES`, so a picture costs a resident on prepaid data about 15 KB.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MIN_SIDE = 32
MAX_SOURCE_SIDE = 12_000
MAX_SOURCE_PIXELS = 40_000_000
MAX_SIDE = 480
TARGET_BYTES = 15 * 1024
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
MEDIA_TYPE = "image/webp"


class ImageRefused(ValueError):
    """An upload that is not a picture Engage keeps; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    width: int
    height: int
    media_type: str = MEDIA_TYPE

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _opened(raw: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw))
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageRefused("image_unreadable") from None
    except (OSError, ValueError, SyntaxError):
        raise ImageRefused("image_unreadable") from None
    if image.format not in ALLOWED_FORMATS:
        raise ImageRefused("image_type_not_allowed")
    width, height = image.size
    if width > MAX_SOURCE_SIDE or height > MAX_SOURCE_SIDE or width * height > MAX_SOURCE_PIXELS:
        raise ImageRefused("image_too_many_pixels")
    if width < MIN_SIDE or height < MIN_SIDE:
        raise ImageRefused("image_too_small")
    return image


def _pixels(image: Image.Image) -> Image.Image:
    """The picture's pixels only, upright, in RGB (transparency laid on white)."""
    try:
        image.seek(0)  # an animated GIF or WebP: its first frame
        upright = ImageOps.exif_transpose(image) or image
        if upright.mode in ("RGBA", "LA", "P", "PA"):
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
        else:
            flat = upright.convert("RGB")
    except (OSError, ValueError, SyntaxError, EOFError):
        raise ImageRefused("image_unreadable") from None
    flat.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", flat.size)
    clean.paste(flat)
    return clean


def clean_image(raw: bytes) -> CleanImage:
    """``raw`` (an uploaded file's bytes) as a small metadata-free WebP, or
    :class:`ImageRefused` (``image_empty``, ``image_too_large``, ``image_unreadable``,
    ``image_type_not_allowed``, ``image_too_many_pixels``, ``image_too_small``)."""
    if not raw:
        raise ImageRefused("image_empty")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ImageRefused("image_too_large")
    picture = _pixels(_opened(raw))
    data = b""
    while True:
        for quality in (75, 60, 45, 30):
            out = io.BytesIO()
            picture.save(out, format="WEBP", quality=quality, method=4)
            data = out.getvalue()
            if len(data) <= TARGET_BYTES:
                return CleanImage(data, picture.width, picture.height)
        if max(picture.size) <= 160:
            return CleanImage(data, picture.width, picture.height)
        smaller = (max(1, picture.width * 3 // 4), max(1, picture.height * 3 // 4))
        picture = picture.resize(smaller, Image.Resampling.LANCZOS)
