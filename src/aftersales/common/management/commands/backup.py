from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from aftersales.common.backups import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive (make backup)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--to", default=str(Path(settings.DATA_DIR) / "backups"))

    def handle(self, *args: Any, **options: Any) -> None:
        archive = backup(Path(options["to"]))
        self.stdout.write(str(archive))
