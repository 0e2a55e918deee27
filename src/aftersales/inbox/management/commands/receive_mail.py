"""``manage.py receive_mail < message.eml``: a mail piped in by the mail server (e.g.
Postfix's ``"|/srv/aftersales/.venv/bin/python manage.py receive_mail"`` alias). Exit
status 0 when the mail is kept (whatever became of it), 75 (EX_TEMPFAIL: the mail
server keeps it and tries again) when the database cannot be reached."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError


class Command(BaseCommand):
    help = "Read one e-mail from standard input into the service mailbox."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--source", default="pipe", help="where the mail came from")

    def handle(self, *args: Any, **options: Any) -> None:
        from aftersales.inbox.services import mail_receive

        raw = sys.stdin.buffer.read()
        try:
            mail = mail_receive(raw=raw, source=options["source"])
        except DatabaseError as error:
            self.stderr.write(f"not kept, try again: {error}")
            raise SystemExit(75) from error
        self.stdout.write(f"{mail.pk} {mail.outcome}")
