from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftersales.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo company (demo mode only, empty database only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already has users.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("Demo data is loaded only in demo mode: set DEMO=1.")
        if options["if_empty"] and get_user_model().objects.exists():
            self.stdout.write("Database already has data; demo not loaded.")
            return
        try:
            counts = load_demo()
        except Exception as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                "Demo loaded: {users} users, {customers} customers, {equipment} units. "
                "Every demo account's password is demo12345.".format(**counts)
            )
        )
