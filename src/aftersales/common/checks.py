from typing import Any

from django.core.checks import Warning, register


@register()
def chinese_font_present(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Printed work orders need a font with Chinese characters on the server."""
    from aftersales.common.pdf import chinese_font

    if chinese_font() is not None:
        return []
    return [
        Warning(
            "No Chinese font found: work orders and reports cannot be printed as PDF.",
            hint="Install one (Debian: apt-get install fonts-noto-cjk) or set PDF_FONT to the "
            "path of a .ttf/.otf/.ttc font with Chinese characters.",
            id="common.W001",
        )
    ]
