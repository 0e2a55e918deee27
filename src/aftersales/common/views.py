from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from aftersales.calendars.selectors import years_missing_statutory_days
from aftersales.common.navigation import AREAS_BY_SLUG


@login_required
def home(request: HttpRequest) -> HttpResponse:
    missing_years: list[int] = []
    if request.user.has_perm("calendars.add_calendarexception"):
        missing_years = years_missing_statutory_days(timezone.localdate())
    return render(request, "home.html", {"missing_statutory_years": missing_years})


@login_required
def area_not_yet(request: HttpRequest, area: str) -> HttpResponse:
    found = AREAS_BY_SLUG.get(area)
    if found is None or found.url_name is not None:
        raise Http404
    return render(request, "area_not_yet.html", {"area": found})
