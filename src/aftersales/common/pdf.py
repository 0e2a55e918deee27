"""Printable documents in Chinese: a font that has the characters, and a page.

PDF readers do not bring Chinese glyphs of their own, so every document
embeds (a subset of) a CJK font found on the server: ``PDF_FONT`` if set,
else the usual places Debian and other systems put Noto CJK or WenQuanYi,
else whatever fontconfig offers for Chinese. No font, no document: the
caller shows a clear message (``NoChineseFont``) and ``manage.py check``
warns at start-up.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import FontFace

CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
]


_LABEL = FontFace(fill_color=(238, 238, 238))


class NoChineseFont(RuntimeError):
    """No font with Chinese characters is installed on the server."""


@dataclass(frozen=True)
class Font:
    path: str
    index: int  # the face inside a .ttc collection


def _face_index(path: str) -> int:
    """In a collection, the Simplified Chinese face (Noto ships JP, KR, SC, TC, HK)."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    for index, face in enumerate(collection.fonts):
        family = str(face["name"].getDebugName(1) or "")
        if family.endswith(" SC") or "CN" in family:
            return index
    return 0


def _fontconfig_guess() -> str | None:
    if not shutil.which("fc-match"):
        return None
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    # fontconfig answers its best guess even without Chinese glyphs; trust CJK names only.
    if found and any(name in found.lower() for name in ("cjk", "wqy", "hei", "song", "ming")):
        return found
    return None


@functools.cache
def chinese_font() -> Font | None:
    configured = getattr(settings, "PDF_FONT", "")
    paths = [configured] if configured else [*CANDIDATES, _fontconfig_guess()]
    for path in paths:
        if path and Path(path).is_file():
            return Font(path, _face_index(path))
    return None


def png_from_data_url(data_url: str) -> bytes | None:
    """The PNG bytes of a drawn signature, or None if it is not one a page can embed."""
    from aftersales.common.signatures import readable_png

    return readable_png(data_url)


def local_time(value: Any) -> str:
    """A time as the reader's wall clock shows it (Asia/Shanghai), to the minute."""
    if value is None:
        return "—"
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


class Document(FPDF):
    """An A4 page set in the Chinese font, with a printed-at footer and page numbers."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        font = chinese_font()
        if font is None:
            raise NoChineseFont(_("No Chinese font is installed on the server."))
        self.add_font("cjk", fname=font.path, collection_font_number=font.index)
        self.set_font("cjk", size=10)
        self.set_title(title)
        self.set_creator("aftersales")
        self.set_auto_page_break(auto=True, margin=15)
        self.printed_at = local_time(timezone.now())
        self.alias_nb_pages()
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.set_text_color(110)
        self.cell(
            0,
            5,
            _("Printed %(at)s · page %(page)s of %(pages)s")
            % {"at": self.printed_at, "page": self.page_no(), "pages": "{nb}"},
            align="C",
        )
        self.set_text_color(0)

    def heading(self, text: str, *, size: int = 16) -> None:
        self.set_font("cjk", size=size)
        self.cell(0, size * 0.6, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("cjk", size=10)

    # A table row cannot run over a page: a value longer than this is printed below the
    # grid as its own paragraph (a 4,000-character finding never breaks the document).
    LONG = 600

    def fields(self, rows: list[list[tuple[str, str]]]) -> None:
        """A grid of label/value cells, two pairs to a row, or one pair across; long
        values follow the grid as labelled paragraphs."""
        long = [
            (label, value)
            for pairs in rows
            for label, value in pairs
            if len(value or "") > self.LONG
        ]
        rows = [
            [(label, value) for label, value in pairs if len(value or "") <= self.LONG]
            for pairs in rows
        ]
        rows = [pairs for pairs in rows if pairs]
        if rows:
            self._grid(rows)
        for label, value in long:
            self.ln(2)
            self.subheading(label)
            self.multi_cell(
                0, 6, value, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )

    def _grid(self, rows: list[list[tuple[str, str]]]) -> None:
        with self.table(
            col_widths=(22, 43, 22, 43),
            first_row_as_headings=False,
            wrapmode=WrapMode.CHAR,
            text_align="LEFT",
            line_height=6,
            padding=1.2,
        ) as table:
            for pairs in rows:
                row = table.row()
                for label, value in pairs:
                    row.cell(label, style=_LABEL)
                    row.cell(value or "—", colspan=3 if len(pairs) == 1 else 1)

    def subheading(self, text: str) -> None:
        self.set_font("cjk", size=12)
        self.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("cjk", size=10)

    def grid(self, headers: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        """A table with a shaded header row; a table with no rows says so."""
        with self.table(
            col_widths=widths,
            wrapmode=WrapMode.CHAR,
            text_align="LEFT",
            line_height=6,
            padding=1.2,
            headings_style=_LABEL,
        ) as table:
            table.row(headers)
            for values in rows:
                table.row(values)
        if not rows:
            self.set_text_color(110)
            self.cell(0, 6, _("None."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0)

    def stamp(self, text: str) -> None:
        """A red box across the page: 作废 on a voided order."""
        self.set_text_color(200, 0, 0)
        self.set_draw_color(200, 0, 0)
        self.set_font("cjk", size=14)
        self.multi_cell(0, 9, text, border=1, align="C", wrapmode=WrapMode.CHAR)
        self.set_font("cjk", size=10)
        self.set_text_color(0)
        self.set_draw_color(0)

    def content(self) -> bytes:
        return bytes(self.output())

    def signatures(self, boxes: list[tuple[str, bytes | None, str]]) -> None:
        """Signature boxes side by side: each a label, the drawn signature (or an empty
        box to sign on paper) and a caption (who, when; or 日期 to fill in by hand)."""
        if not boxes:
            return
        if self.will_page_break(44):
            self.add_page()
        gap = 6
        width = (self.epw - gap * (len(boxes) - 1)) / len(boxes)
        top = self.get_y()
        for index, (label, png, caption) in enumerate(boxes):
            x = self.l_margin + index * (width + gap)
            self.set_xy(x, top)
            self.set_font("cjk", size=10)
            self.cell(width, 6, label)
            self.rect(x, top + 7, width, 28)
            if png:
                self.image(
                    io.BytesIO(png), x=x + 2, y=top + 8, w=width - 4, h=26, keep_aspect_ratio=True
                )
            self.set_xy(x, top + 36)
            self.set_font("cjk", size=9)
            self.cell(width, 6, caption)
        self.set_xy(self.l_margin, top + 44)
        self.set_font("cjk", size=10)

    def image_png(self, png: bytes, *, width: float, height: float) -> None:
        self.image(io.BytesIO(png), w=width, h=height, keep_aspect_ratio=True)


def signed_by_both(
    doc: Document,
    *,
    stale: bool,
    customer: tuple[str, str, Any],
    technician: tuple[str, str, Any],
    staff_label: str = "",
) -> None:
    """The customer's and the technician's signatures side by side (双方签字确认), each
    (data URL, name, when), with a warning above them when the record was changed after
    it was signed (``stale``). ``staff_label`` names our side's box when it is not the
    technician's (the installer's, the trainer's)."""
    if stale:
        doc.set_text_color(200, 0, 0)
        doc.multi_cell(
            0,
            6,
            _(
                "The record was changed after it was signed: the signature no longer "
                "matches what was signed."
            ),
        )
        doc.set_text_color(0, 0, 0)
    boxes = []
    for label, (data_url, name, at) in (
        (_("Customer's signature"), customer),
        (staff_label or _("Technician's signature"), technician),
    ):
        png = png_from_data_url(data_url)
        caption = (
            _("Signed by %(name)s at %(at)s") % {"name": name, "at": local_time(at)}
            if png
            else _("Not signed yet.")
        )
        boxes.append((label, png, caption))
    doc.signatures(boxes)
