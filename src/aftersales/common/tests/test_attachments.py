"""Attachments: type read from the bytes, size limit, nothing half-stored, visibility."""

import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests import factories

from aftersales.common import attachments
from aftersales.common.exceptions import ValidationError
from aftersales.common.models import Attachment
from aftersales.complaints.models import Complaint

pytestmark = pytest.mark.django_db


def png(width=2, height=2):
    """A real PNG (every pixel red), made here so the test needs no file."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def complaint_of(users, company):
    return factories.make_complaint(users, company.customer)


def stored_files(settings):
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def test_a_photo_is_kept_under_a_name_of_ours_with_its_digest(users, company_a, settings):
    complaint = complaint_of(users, company_a)
    data = png()
    upload = SimpleUploadedFile("裂缝 照片.PNG", data, content_type="application/octet-stream")
    kept = attachments.attach(actor=users.agent, about=complaint, upload=upload, caption="外壳")
    assert (kept.name, kept.mime, kept.size) == ("裂缝 照片.PNG", "image/png", len(data))
    import hashlib

    assert kept.sha256 == hashlib.sha256(data).hexdigest()
    assert kept.file.name.endswith(".png") and "裂缝" not in kept.file.name
    assert Path(kept.file.path).read_bytes() == data
    assert list(attachments.attachments_of(complaint)) == [kept]


@pytest.mark.parametrize(
    "name, data, field",
    [
        ("photo.png", b"<script>alert(1)</script>", "file"),  # a name is not a type
        ("empty.jpg", b"", "file"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * 2048, "file"),
        ("letter.zip", b"PK\x03\x04" + b"0" * 40, "file"),  # a zip is not a document
    ],
)
def test_refused_files_store_nothing(users, company_a, settings, name, data, field):
    settings.ATTACHMENT_MAX_BYTES = 1024
    complaint = complaint_of(users, company_a)
    upload = SimpleUploadedFile(name, data, content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        attachments.attach(actor=users.agent, about=complaint, upload=upload)
    assert field in refused.value.message_dict
    assert not Attachment.objects.exists() and stored_files(settings) == []


def test_office_documents_and_pdf_are_accepted(users, company_a):
    complaint = complaint_of(users, company_a)
    for name, data, mime in [
        ("消协来函.docx", b"PK\x03\x04" + b"0" * 40, "wordprocessingml"),
        ("检测报告.pdf", b"%PDF-1.7\n%%EOF", "application/pdf"),
        ("现场.jpg", b"\xff\xd8\xff\xe0" + b"0" * 40, "image/jpeg"),
    ]:
        kept = attachments.attach(
            actor=users.agent, about=complaint, upload=SimpleUploadedFile(name, data)
        )
        assert mime in kept.mime


def test_no_file_is_added_to_a_closed_complaint_or_by_a_user_without_the_role(
    users, company_a, settings
):
    complaint = complaint_of(users, company_a)
    with pytest.raises(attachments.PermissionDenied):
        attachments.attach(
            actor=users.warehouse, about=complaint, upload=SimpleUploadedFile("a.png", png())
        )
    Complaint.objects.filter(pk=complaint.pk).update(status="closed")
    complaint.refresh_from_db()
    with factories.refused(conflict="不能再记录处理"):
        attachments.attach(
            actor=users.agent, about=complaint, upload=SimpleUploadedFile("a.png", png())
        )
    assert stored_files(settings) == []


def test_a_withdrawn_file_stays_on_record_but_leaves_the_list(users, company_a):
    complaint = complaint_of(users, company_a)
    kept = attachments.attach(
        actor=users.agent, about=complaint, upload=SimpleUploadedFile("a.png", png())
    )
    with factories.refused("reason"):
        attachments.withdraw(actor=users.agent, attachment=kept, reason=" ")
    attachments.withdraw(actor=users.agent, attachment=kept, reason="传错了")
    assert list(attachments.attachments_of(complaint)) == []
    assert Attachment.objects.get().withdrawn_reason == "传错了"
    with factories.refused(conflict="该文件已撤回"):
        attachments.withdraw(actor=users.agent, attachment=kept, reason="again")


def test_upload_and_download_through_the_api(users, company_a, company_b, api):
    complaint = complaint_of(users, company_a)
    url = f"/api/v1/complaints/{complaint.pk}/attachments/"
    data = png()
    response = api(users.agent).post(
        url, {"file": SimpleUploadedFile("crack.png", data), "caption": "裂缝"}, format="multipart"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mime"] == "image/png" and body["caption"] == "裂缝" and body["size"] == len(data)
    listed = api(users.manager).get(url)
    assert [f["id"] for f in listed.json()] == [body["id"]]
    got = api(users.manager).get(body["url"])
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    assert b"".join(got.streaming_content) == data
    assert got["Content-Security-Policy"] == "sandbox"
    # A complaint's staff files are internal: its customer neither lists nor fetches them.
    assert api(company_a.user).get(url).json() == []
    assert api(company_a.user).get(body["url"]).status_code == 404
    # Another company, a user with no role, a technician not on it: not found / refused.
    assert api(company_b.user).get(body["url"]).status_code == 404
    assert api(company_b.user).get(url).status_code == 404
    assert api(users.tech).get(body["url"]).status_code == 404
    assert api(users.nobody).get(url).status_code == 403
    assert api().get(body["url"]).status_code == 401
    # The customer may not add; a fake photo is a 400 in Chinese.
    refused = api(company_a.user).post(
        url, {"file": SimpleUploadedFile("x.png", data)}, format="multipart"
    )
    assert refused.status_code == 403
    fake = api(users.agent).post(
        url, {"file": SimpleUploadedFile("x.png", b"GIF-not-really")}, format="multipart"
    )
    assert fake.status_code == 400 and "照片" in fake.json()["file"][0]
    assert Attachment.objects.count() == 1


def test_the_page_shows_the_photo_and_takes_a_new_one(users, company_a, company_b, page):
    complaint = complaint_of(users, company_a)
    response = page(users.agent).post(
        f"/complaints/{complaint.pk}/",
        {"step": "attach", "caption": "铭牌", "file": SimpleUploadedFile("p.png", png())},
    )
    assert response.status_code == 302
    kept = Attachment.objects.get()
    shown = page(users.agent).get(f"/complaints/{complaint.pk}/").content.decode()
    assert f"/attachments/{kept.pk}/" in shown and "铭牌" in shown
    assert page(users.manager).get(f"/attachments/{kept.pk}/").status_code == 200
    assert page(company_a.user).get(f"/attachments/{kept.pk}/").status_code == 404  # internal
    assert page(company_b.user).get(f"/attachments/{kept.pk}/").status_code == 404
    assert page(users.nobody).get(f"/attachments/{kept.pk}/").status_code == 404
    assert page(users.agent).get("/attachments/999999/").status_code == 404
    # The folder of uploads is not served by itself.
    assert page(users.agent).get(f"/media/{kept.file.name}").status_code == 404


def test_a_file_lost_from_disk_is_not_found_not_an_error(users, company_a, page, api):
    complaint = complaint_of(users, company_a)
    kept = attachments.attach(
        actor=users.agent, about=complaint, upload=SimpleUploadedFile("a.png", png())
    )
    Path(kept.file.path).unlink()
    assert page(users.agent).get(f"/attachments/{kept.pk}/").status_code == 404
    assert api(users.agent).get(f"/api/v1/attachments/{kept.pk}/file/").status_code == 404
