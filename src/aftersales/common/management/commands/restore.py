from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aftersales.common.backups import restore, row_counts


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with a backup's (make restore "
        "BACKUP=…). Stop the server and the worker first."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"no such backup: {archive}")
        try:
            manifest = restore(archive)
        except (ValueError, OSError) as error:
            raise CommandError(str(error)) from error
        now = row_counts()
        differ = {k: (v, now.get(k)) for k, v in manifest["rows"].items() if now.get(k) != v}
        if differ:
            raise CommandError(f"restored, but the row counts differ from the backup: {differ}")
        self.stdout.write(
            f"restored {archive} ({manifest['created_at']}), {sum(now.values())} rows"
        )
