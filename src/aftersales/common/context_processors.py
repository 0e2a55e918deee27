from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from aftersales.common.navigation import AREAS, PORTAL_NAV


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_areas": []}
    if getattr(user, "is_external", False):
        return {"nav_areas": [], "portal_nav": PORTAL_NAV}
    items = []
    for area in AREAS:
        if area.permission and not user.has_perm(area.permission):
            continue
        if area.url_name is None and getattr(user, "is_external", False):
            continue  # customers are not shown the company's unfinished internal areas
        url = reverse(area.url_name) if area.url_name else reverse("area", args=[area.slug])
        items.append({"area": area, "url": url, "ready": area.url_name is not None})
    from aftersales.obligations.selectors import unread_count

    return {"nav_areas": items, "unread_notifications": unread_count(user)}
