from __future__ import annotations

from typing import Any

from django import template

from aftersales.portal.qr import report_url, svg_data_uri

register = template.Library()


@register.simple_tag
def unit_qr(unit: Any) -> str:
    """The unit's scan-to-report code, as an image address for an <img>."""
    return svg_data_uri(report_url(unit))


@register.simple_tag
def unit_report_url(unit: Any) -> str:
    """The address the unit's code holds (to copy into a message or a work order)."""
    return report_url(unit)
