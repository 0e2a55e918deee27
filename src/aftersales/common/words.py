"""How a label is joined to its text in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext


def separator() -> str:
    """The separator after a label: a full-width colon in Chinese, ': ' in English."""
    return pgettext("label separator", ": ")


def labelled(label: Any, text: Any = "") -> str:
    """'答复：好的' in Chinese, 'Answer: fine' in English; the label alone when there is no text."""
    said = str(text).strip()
    return f"{label}{separator()}{said}" if said else str(label)


def listed(items: Any) -> str:
    """Items one after another: '甲；乙' in Chinese, 'a; b' in English."""
    return pgettext("list separator", "; ").join(str(item) for item in items)
