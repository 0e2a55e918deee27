"""Signatures drawn on a screen (电子签名法 第十三条): each a real, non-blank PNG of a
sane size, kept with a digest of exactly what was signed, so that a later change to the
signed content is detected and shown wherever the record is read or printed."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PREFIX = "data:image/png;base64,"
MAX_CHARACTERS = 300_000  # of the data URL: a drawn name is a few kB
MIN_SIDE, MAX_SIDE = 40, 4000  # pixels
MIN_INK = 30  # drawn pixels: fewer is an empty pad or a dot


def png_bytes(data_url: str) -> bytes | None:
    """The PNG inside a data URL, or None when it is not one."""
    if not data_url.startswith(PREFIX) or len(data_url) > MAX_CHARACTERS:
        return None
    try:
        return base64.b64decode(data_url[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        return None


def _ink(image: Image.Image) -> int:
    """How many pixels are drawn: opaque and darker than the paper."""
    rgba = image.convert("RGBA")
    alpha = rgba.getchannel("A").point(lambda a: 255 if a > 32 else 0)
    dark = rgba.convert("L").point(lambda v: 255 if v < 200 else 0)
    drawn = Image.composite(dark, Image.new("L", rgba.size, 0), alpha)
    return sum(drawn.histogram()[255:])


def readable_png(data_url: str) -> bytes | None:
    """The signature's PNG if it is a real image a PDF can embed, else None (a print shows
    an empty box rather than failing on what was stored)."""
    png = png_bytes(data_url)
    if png is None:
        return None
    try:
        with Image.open(io.BytesIO(png)) as image:
            if image.format != "PNG" or max(image.size) > MAX_SIDE:
                return None
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return png


def check_signature(data_url: str, field: str = "signature") -> str:
    """The data URL of a real drawing, or a 400 naming ``field``: not a PNG, too small or
    too large, or blank."""
    refused = ValidationError({field: _("Draw the signature on the screen.")})
    png = png_bytes(data_url)
    if png is None:
        raise refused
    try:
        with Image.open(io.BytesIO(png)) as image:
            if image.format != "PNG":
                raise refused
            width, height = image.size
            if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                raise refused
            image.load()
            if _ink(image) < MIN_INK:
                raise ValidationError({field: _("The signature is blank: draw it on the pad.")})
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise refused from None
    return data_url


def digest(content: dict[str, Any], signature: str) -> str:
    """SHA-256 of the signed content (canonical JSON) and the signature image together."""
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(f"{text}\n{signature}".encode()).hexdigest()
