"""Finding the Chinese font, and the start-up warning when there is none."""

import pytest

from aftersales.common import checks, pdf


def test_a_configured_font_that_is_missing_means_no_font_and_a_startup_warning(settings):
    settings.PDF_FONT = "/nonexistent/font.ttc"
    pdf.chinese_font.cache_clear()
    try:
        assert pdf.chinese_font() is None
        warnings = checks.chinese_font_present(None)
        assert len(warnings) == 1 and "fonts-noto-cjk" in warnings[0].hint
    finally:
        pdf.chinese_font.cache_clear()


@pytest.mark.pdf
def test_a_configured_font_is_used_with_its_simplified_chinese_face(settings):
    found = pdf.chinese_font()
    assert found is not None
    assert checks.chinese_font_present(None) == []
    settings.PDF_FONT = found.path
    pdf.chinese_font.cache_clear()
    try:
        chosen = pdf.chinese_font()
        assert chosen is not None and chosen.path == found.path
        if found.path.endswith(".ttc") and "Noto" in found.path:
            assert chosen.index == 2  # JP, KR, SC, TC, HK: the SC face
    finally:
        pdf.chinese_font.cache_clear()
