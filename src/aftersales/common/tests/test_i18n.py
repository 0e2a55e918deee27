"""Chinese first: every string the code marks for translation has a Chinese text."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries():
    blocks = PO.read_text(encoding="utf-8").split("\n\n")[1:]
    for block in blocks:
        if block.strip() and not block.lstrip().startswith("#~"):
            yield block


def test_every_message_has_a_chinese_translation():
    untranslated = [
        block
        for block in _entries()
        if ('msgstr ""\n' in block + "\n" and 'msgstr ""\n"' not in block + "\n")
        or "#, fuzzy" in block
    ]
    assert untranslated == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")
def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True)
    assert compiled.read_bytes() == PO.with_suffix(".mo").read_bytes()


def _msgids(po: Path) -> set[tuple[str, str]]:
    """(context, msgid) of every live entry, joined across continuation lines."""
    found = set()
    for block in po.read_text(encoding="utf-8").split("\n\n")[1:]:
        if not block.strip() or block.lstrip().startswith("#~"):
            continue
        parts: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr")):
                key, _, rest = line.partition(" ")
                parts[key] = rest.strip()[1:-1]
            elif line.startswith('"') and key:
                parts[key] += line.strip()[1:-1]
        if "msgid" in parts:
            found.add((parts.get("msgctxt", ""), parts["msgid"]))
    return found


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext")
def test_the_catalogue_holds_every_message_the_code_marks(tmp_path):
    """A string added to the code but never put in the catalogue would show in English."""
    source = PO.parents[3]
    copy = tmp_path / "aftersales"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    manage = source.parents[1] / "manage.py"
    subprocess.run(
        [
            sys.executable,
            str(manage),
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--ignore",
            "tests/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = _msgids(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert fresh - _msgids(PO) == set()
