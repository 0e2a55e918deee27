"""Chinese text as words for the search index: segmented by jieba (its search mode,
which also gives the shorter words inside a long one: 录像机 → 录像, 录像机), letters
lowered, and model numbers kept whole as well as in parts (HX-NVR-6400 → hx, nvr, 6400
and hxnvr6400), so a query typed either way finds them. Index and query go through the
same function; both databases then see plain words separated by spaces."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WORD = re.compile(r"[0-9a-z]+|[\u3400-\u9fff\uf900-\ufaff]+")
CODE = re.compile(r"[0-9A-Za-z]+(?:[-_./][0-9A-Za-z]+)+")
MAX_QUERY_WORDS = 16
# Words of a question, not of a fault: left out of a query (never of the index).
STOP = frozenset(
    [
        "的",
        "了",
        "后",
        "是",
        "不",
        "吗",
        "呢",
        "啊",
        "吧",
        "在",
        "和",
        "与",
        "就",
        "都",
        "也",
        "有",
        "请问",
        "一下",
        "怎么",
        "怎么办",
        "如何",
        "为什么",
        "什么",
        "出现",
        "问题",
        "无法",
        "不能",
    ]
)
_lock = threading.Lock()
_ready = False


def _jieba():  # type: ignore[no-untyped-def]
    """jieba, its dictionary loaded once per process (its cache kept in DATA_DIR)."""
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(60)
                jieba.dt.tmp_dir = str(settings.DATA_DIR)
                jieba.initialize()
                _ready = True
    return jieba


def words(text: str) -> list[str]:
    """The text's words, in order, repeats kept (they weigh in the ranking)."""
    found: list[str] = []
    for code in CODE.findall(text):
        found.append(re.sub(r"[^0-9a-z]", "", code.lower()))  # the whole code, joined
    for token in _jieba().cut_for_search(text):
        found.extend(WORD.findall(token.lower()))
    return [w for w in found if w]


def query_words(text: str) -> list[str]:
    """A query's distinct words, the longest first, at most MAX_QUERY_WORDS."""
    unique = [w for w in dict.fromkeys(words(text[:200])) if w not in STOP]
    return sorted(unique, key=len, reverse=True)[:MAX_QUERY_WORDS]


def joined(parts: Iterable[str]) -> str:
    return " ".join(w for part in parts for w in words(part))


def _pattern(term: str) -> str:
    """A word as the text may write it: a joined model number also with its hyphens
    (hxnvr6400 marks HX-NVR-6400 whole)."""
    if term.isascii() and term.isalnum() and len(term) > 4:
        return "[-_./ ]?".join(re.escape(c) for c in term)
    return re.escape(term)


def highlight(text: str, terms: list[str], *, limit: int | None = None) -> SafeString:
    """The text escaped, each query word marked (<mark>); cut to about ``limit``
    characters around the first match when given."""
    if limit is not None and len(text) > limit:
        lowered = text.lower()
        hits = [i for i in (lowered.find(t) for t in terms if len(t) > 1) if i >= 0]
        start = max(0, min(hits) - limit // 4) if hits else 0
        text = ("…" if start else "") + text[start : start + limit] + "…"
    if not terms:
        return mark_safe(escape(text))
    pattern = re.compile("|".join(_pattern(t) for t in terms if t), re.IGNORECASE)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))
