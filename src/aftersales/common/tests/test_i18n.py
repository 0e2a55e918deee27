"""Chinese first: every string the code marks for translation has a Chinese text."""

import shutil
import subprocess
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
