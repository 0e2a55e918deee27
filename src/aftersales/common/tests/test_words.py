"""A label joined to its text takes the reader's colon."""

from django.utils import translation

from aftersales.common.words import labelled


def test_a_label_takes_the_full_width_colon_in_chinese_and_the_ascii_one_in_english():
    with translation.override("zh-hans"):
        assert labelled("答复", " 好的 ") == "答复：好的"
        assert labelled("答复", "  ") == "答复"
    with translation.override("en"):
        assert labelled("Answer", "fine") == "Answer: fine"
