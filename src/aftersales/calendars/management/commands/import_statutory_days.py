from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftersales.calendars.holidays_import import known_years
from aftersales.calendars.models import Calendar
from aftersales.calendars.services import statutory_days_import


class Command(BaseCommand):
    help = "Import China's statutory days off and make-up workdays of a year into a calendar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("years", nargs="*", type=int, help="default: every year known")
        parser.add_argument("--calendar", default="standard")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            calendar = Calendar.objects.get(code=options["calendar"])
        except Calendar.DoesNotExist as error:
            raise CommandError(f"no calendar {options['calendar']!r}") from error
        for year in options["years"] or known_years():
            try:
                result = statutory_days_import(actor=None, calendar=calendar, year=year)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
            self.stdout.write(
                f"{year}: {result['added']} days imported, {result['kept']} edited by hand kept"
            )
