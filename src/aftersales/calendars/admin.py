from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.calendars.models import Calendar, CalendarException, WorkingPeriod
from aftersales.calendars.services import calendar_touch


class WorkingPeriodInline(admin.TabularInline):
    model = WorkingPeriod
    extra = 0


@admin.register(Calendar)
class CalendarAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "time_zone", "is_24x7", "version")
    readonly_fields = ("version",)
    inlines = [WorkingPeriodInline]

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        calendar_touch(form.instance)  # rebuilds cached arithmetic, recomputes due times


@admin.register(CalendarException)
class CalendarExceptionAdmin(SimpleHistoryAdmin):
    list_display = ("date", "calendar", "kind", "name", "imported")
    list_filter = ("calendar", "kind", "imported")
    date_hierarchy = "date"
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        calendar_touch(obj.calendar)

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        super().delete_model(request, obj)
        calendar_touch(obj.calendar)
