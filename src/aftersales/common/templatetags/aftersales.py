from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from aftersales.common.choices import Severity
from aftersales.common.words import separator
from aftersales.customers.warranty import WarrantyStatus

register = template.Library()

BADGE_CLASSES = {
    WarrantyStatus.IN_WARRANTY: "text-bg-success",
    WarrantyStatus.MAINTENANCE_CONTRACT: "text-bg-primary",
    WarrantyStatus.OUT_OF_WARRANTY: "text-bg-danger",
    WarrantyStatus.UNKNOWN: "text-bg-secondary",
}


@register.simple_tag
def warranty_badge(status: str) -> str:
    status = WarrantyStatus(status)
    return format_html(
        '<span class="badge {}" data-warranty="{}">{}</span>',
        BADGE_CLASSES[status],
        status.value,
        status.label,
    )


@register.simple_tag(takes_context=True)
def page_url(context: Any, page: int) -> str:
    """The current query string with another page number."""
    params = context["request"].GET.copy()
    params["page"] = str(page)
    return "?" + params.urlencode()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter(name="yuan")
def yuan_filter(amount: Any) -> str:
    from aftersales.common.words import yuan

    return yuan(amount)


@register.filter
def percent(value: Any) -> str:
    """A share (0..1) as a percentage to two places: 0.99327 → 99.33 %."""
    try:
        return f"{float(value) * 100:.2f} %"
    except (TypeError, ValueError):
        return ""


@register.filter
def severity_short(value: str) -> str:
    """A badge's word for a severity: P1/P2/P3 as the regulations write them, and a
    consultation as 咨询, never its code (the full label says 重大故障 …)."""
    if value == Severity.CONSULT:
        return str(Severity.CONSULT.label)
    return value if value in Severity.values else ""


@register.simple_tag
def colon() -> str:
    """The separator after a label: a full-width colon in Chinese, ': ' in English."""
    return separator()


@register.simple_tag(takes_context=True)
def refused(context: Any, step: str, key: str = "", value: Any = None) -> str:
    """The reason this page's ``step`` was refused, inside its form (see Refusal)."""
    refusal = context.get("refused")
    if refusal is None or not refusal.concerns(step, key, value):
        return ""
    return format_html(
        '<div class="alert alert-danger py-1 px-2 my-1 small" role="alert" data-refused="{}">'
        "{}</div>",
        step,
        " ".join(refusal.messages),
    )


@register.simple_tag(takes_context=True)
def again(context: Any, step: str, field: str, key: str = "", value: Any = None) -> str:
    """What was typed in ``field`` of the refused ``step``, to put it back."""
    refusal = context.get("refused")
    if refusal is None or not refusal.concerns(step, key, value):
        return ""
    return str(refusal.posted.get(field, ""))


@register.simple_tag(takes_context=True)
def again_row(context: Any, step: str, field: str, row: int) -> str:
    """What was typed in row ``row`` of a repeated field (``name-3``) of the refused
    ``step``."""
    return again(context, step, f"{field}-{row}")


ZONE_NAMES = {
    "Asia/Shanghai": _("Beijing time"),
    "Asia/Hong_Kong": _("Hong Kong time"),
    "Asia/Taipei": _("Taipei time"),
    "UTC": _("Coordinated universal time"),
}


@register.filter
def zone_label(zone: str) -> str:
    """A time zone as people name it (北京时间), the zone's identifier otherwise."""
    return str(ZONE_NAMES.get(str(zone), zone))
