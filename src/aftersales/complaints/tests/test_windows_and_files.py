"""Acceptance windows edited by the service manager; photos attached on registration.

Rules: R-CP-8 (acceptance windows), R-CP-1 (evidence attached to the record).
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.common.models import Attachment
from aftersales.common.tests.test_attachments import png
from aftersales.complaints import services
from aftersales.complaints.models import AcceptanceWindow, Complaint

pytestmark = pytest.mark.django_db


def test_the_manager_sets_changes_and_removes_a_window(users):
    services.window_set(actor=users.manager, category="other", days=15, counted_from="报告出具日")
    services.window_set(actor=users.manager, category="other", days=20, counted_from="报告出具日")
    window = AcceptanceWindow.objects.get()
    assert window.days == 20
    assert [h.days for h in window.history.order_by("history_id")] == [15, 20]
    assert window.history.latest().history_user == users.manager
    services.window_set(actor=users.manager, category="other", days=None)
    assert not AcceptanceWindow.objects.exists()


@pytest.mark.parametrize(
    "values, field",
    [
        ({"category": "nonsense", "days": 15, "counted_from": "x"}, "category"),
        ({"category": "other", "days": 0, "counted_from": "x"}, "days"),
        ({"category": "other", "days": 15, "counted_from": " "}, "counted_from"),
    ],
)
def test_a_bad_window_is_refused(users, values, field):
    with pytest.raises(ValidationError) as refused:
        services.window_set(actor=users.manager, **values)
    assert field in refused.value.message_dict and not AcceptanceWindow.objects.exists()


def test_the_windows_page(page, users, company_a):
    client = page(users.manager)
    assert client.get("/complaints/windows/").status_code == 200
    client.post(
        "/complaints/windows/",
        {"category": "product_quality", "days": "15", "counted_from": "检测报告出具日"},
    )
    assert AcceptanceWindow.objects.get().days == 15
    refused = client.post(
        "/complaints/windows/",
        {"category": "product_quality", "days": "fifteen", "counted_from": "x"},
        follow=True,
    )
    assert "整数" in refused.content.decode() and AcceptanceWindow.objects.get().days == 15
    html = page(users.agent).get("/complaints/windows/").content.decode()
    assert "检测报告出具日" in html and 'name="days"' not in html
    assert (
        page(users.agent)
        .post("/complaints/windows/", {"category": "other", "days": "1", "counted_from": "x"})
        .status_code
        == 403
    )
    assert page(company_a.user).get("/complaints/windows/").status_code == 403
    assert page(users.nobody).get("/complaints/windows/").status_code == 403


def register_form(**changes):
    return {
        "complainant_name": "王女士",
        "complainant_phone": "13912345678",
        "channel": "phone",
        "category": "product_quality",
        "target_kind": "product",
        "demand": "更换",
        "description": "外壳开裂",
        **changes,
    }


def test_photos_come_with_the_registration(page, users):
    photos = [SimpleUploadedFile("1.png", png()), SimpleUploadedFile("2.png", png(3, 3))]
    response = page(users.agent).post("/complaints/new/", register_form(photos=photos))
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert sorted(a.name for a in Attachment.objects.all()) == ["1.png", "2.png"]
    assert {a.object_id for a in Attachment.objects.all()} == {complaint.pk}


def test_a_bad_photo_refuses_the_whole_registration(page, users, settings):
    photos = [SimpleUploadedFile("1.png", png()), SimpleUploadedFile("virus.png", b"MZ\x90\x00")]
    response = page(users.agent).post("/complaints/new/", register_form(photos=photos))
    assert response.status_code == 200 and "virus.png" in response.content.decode()
    assert not Complaint.objects.exists() and not Attachment.objects.exists()
    from pathlib import Path

    assert not any(p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*"))
