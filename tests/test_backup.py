"""make backup / make restore (issue 14 item 13): back up, wipe, restore, and the rows and
files are back — on SQLite, and on PostgreSQL in CI (pg_dump / pg_restore).

Rules: the system's rule 9 (everything is recorded: nothing recorded is lost)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from aftersales.common import attachments
from aftersales.common.backups import row_counts
from aftersales.common.models import Attachment
from aftersales.common.tests.test_attachments import png
from aftersales.service.models import ServiceRequest
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_restores_the_rows_and_the_files(tmp_path, settings, users, company_a):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    request = factories.make_request(company_a.customer, description="备份前的报修")
    complaint = factories.make_complaint(users, company_a.customer)
    photo = png()
    kept = attachments.attach(
        actor=users.agent, about=complaint, upload=SimpleUploadedFile("crack.png", photo)
    )
    before = row_counts()
    call_command("backup", to=str(tmp_path / "backups"))
    [archive] = (tmp_path / "backups").glob("aftersales-*.tar.gz")

    call_command("flush", interactive=False)  # everything lost …
    for stored in (tmp_path / "media").rglob("*"):
        if stored.is_file():
            stored.unlink()
    assert not ServiceRequest.objects.exists() and row_counts() != before

    call_command("restore", str(archive))  # … and back
    assert row_counts() == before
    back = ServiceRequest.objects.get(pk=request.pk)
    assert (back.number, back.description) == (request.number, "备份前的报修")
    restored = Attachment.objects.get(pk=kept.pk)
    with restored.file.open("rb") as handle:
        assert handle.read() == photo


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
