"""Prototype pictures: refused when they are not pictures Engage keeps, else re-encoded
small with every metadata removed. No database, no Flask."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from engage.rounds.images import MAX_UPLOAD_BYTES, TARGET_BYTES, ImageRefused, clean_image


def _photo(size=(3000, 2000), fmt="JPEG", **save) -> bytes:
    image = Image.effect_noise(size, 80).convert("RGB")
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def test_a_large_noisy_photo_fits_the_budget_without_metadata():
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    exif[0x0112] = 6  # taken sideways: turned upright before resizing
    cleaned = clean_image(_photo(exif=exif.tobytes(), quality=95))
    assert len(cleaned.data) <= TARGET_BYTES
    assert b"SecretCamera" not in cleaned.data and b"EXIF" not in cleaned.data.upper()
    assert cleaned.height > cleaned.width  # the orientation was applied
    with Image.open(io.BytesIO(cleaned.data)) as again:
        assert again.format == "WEBP" and again.size == (cleaned.width, cleaned.height)
        assert not again.info.get("exif") and not again.info.get("icc_profile")


def test_a_transparent_png_is_laid_on_white():
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    cleaned = clean_image(out.getvalue())
    with Image.open(io.BytesIO(cleaned.data)) as again:
        assert again.convert("RGB").getpixel((50, 50))[0] > 240


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", "image_empty"),
        (b"\x00" * (MAX_UPLOAD_BYTES + 1), "image_too_large"),
        (b"%PDF-1.4 not a picture", "image_unreadable"),
        (_photo((10, 10), "PNG"), "image_too_small"),
        (_photo((100, 100), "BMP"), "image_type_not_allowed"),
    ],
)
def test_what_is_not_a_usable_picture_is_refused_with_a_code(raw, code):
    with pytest.raises(ImageRefused) as refused:
        clean_image(raw)
    assert refused.value.code == code


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")
    with pytest.raises(ImageRefused) as refused:
        clean_image(out.getvalue())
    assert refused.value.code in {"image_too_many_pixels", "image_unreadable"}
