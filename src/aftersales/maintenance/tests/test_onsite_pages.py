"""Installation and training on their pages: the manager plans, the installer or the
trainer walks each step, others are refused, the signed forms print."""

import datetime as dt

import pytest
from tests import factories

from aftersales.customers.models import Equipment
from aftersales.maintenance import installations, training
from aftersales.maintenance.models import Installation, TrainingSession

pytestmark = pytest.mark.django_db
SIGNATURE = factories.drawn_signature()


def test_an_installation_from_the_plan_to_the_signed_acceptance(page, users, company_a):
    factories.make_equipment(company_a.customer, serial_number="NEW-1", accepted_on=None)
    manager = page(users.manager)
    refused = manager.post(
        "/maintenance/installations/",
        {
            "serial_number": "NOPE",
            "installer": users.tech.pk,
            "planned_on": "2026-12-10",
            "contact_name": "王工",
            "contact_phone": "13900001111",
        },
    )
    assert refused.status_code == 400 and not Installation.objects.exists()
    manager.post(
        "/maintenance/installations/",
        {
            "serial_number": "new-1",
            "installer": users.tech.pk,
            "planned_on": "2026-12-10",
            "contact_name": "王工",
            "contact_phone": "13900001111",
        },
    )
    item = Installation.objects.get()
    tech = page(users.tech)
    url = item.get_absolute_url()
    tech.post(url, {"step": "call", "note": "约定上午九点"})
    tech.post(url, {"step": "deliver"})
    tech.post(url, {"step": "unpack", "outcome": "ok", "signed_by": "王工"})
    tech.post(url, {"step": "commission", "commissioning": "通电、录像、回放正常"})
    for signer in ("technician", "customer"):
        tech.post(
            url, {"step": "sign", "signer": signer, "signature": SIGNATURE, "signed_by": "王工"}
        )
    item.refresh_from_db()
    assert item.status == "accepted"
    assert Equipment.objects.get(serial_number="NEW-1").accepted_on == item.accepted_on
    page(users.agent).post(url, {"step": "score", "score": "5", "note": "很满意"})
    item.refresh_from_db()
    assert item.score == 5
    text = factories.poppler("pdftotext", tech.get(f"{url}pdf/").content).decode()
    assert "安装调试验收" in text and "王工" in text
    other = factories.make_user("tech4", "technician")
    assert page(other).get(url).status_code == 404
    assert page(company_a.user).post(url, {"step": "call", "note": "x"}).status_code == 403


def test_a_training_planned_held_signed_and_reported_on_its_page(page, users, company_a):
    manager = page(users.manager)
    manager.post(
        "/maintenance/training/",
        {
            "customer": company_a.customer.pk,
            "year": str(dt.date.today().year + 1),
            "times": "2",
            "topic": "值班员设备操作",
            "trainer": users.tech.pk,
        },
    )
    assert TrainingSession.objects.count() == 2
    session = TrainingSession.objects.order_by("planned_on").first()
    tech = page(users.tech)
    url = session.get_absolute_url()
    tech.post(
        url,
        {
            "step": "hold",
            "place": "中心控制室",
            "name-1": "张三",
            "post-1": "值班员",
            "theory-1": "92",
            "practical-1": "88",
            "name-2": "李四",
            "theory-2": "58",
            "practical-2": "75",
        },
    )
    session.refresh_from_db()
    assert session.status == "held" and training.pass_rate(session) == (1, 2)
    for signer in ("technician", "customer"):
        tech.post(
            url, {"step": "sign", "signer": signer, "signature": SIGNATURE, "signed_by": "王工"}
        )
    tech.post(url, {"step": "report", "summary": "值班员已掌握日常操作，李四理论需补考"})
    session.refresh_from_db()
    assert session.status == "reported"
    text = factories.poppler("pdftotext", tech.get(f"{url}pdf/").content).decode()
    for expected in ("培训总结报告", "张三", "92", "李四", "未通过", "2 人中 1 人"):
        assert expected in text, expected
    assert page(company_a.user).get(url).status_code == 200
    assert page(company_a.user).post(url, {"step": "report", "summary": "x"}).status_code == 403


def test_the_api_lists_installations_and_training_with_customers_kept_apart(
    api, users, company_a, company_b
):
    unit = factories.make_equipment(company_a.customer, serial_number="NEW-2", accepted_on=None)
    installations.installation_plan(
        actor=users.manager,
        equipment=unit,
        installer=users.tech,
        planned_on=dt.date(2026, 12, 10),
        contact_name="王工",
        contact_phone="13900001111",
    )
    training.training_plan(
        actor=users.manager, customer=company_a.customer, year=2026, topic="培训", times=1
    )
    assert api(users.manager).get("/api/v1/installations/").json()["count"] == 1
    assert api(company_a.user).get("/api/v1/training-sessions/").json()["count"] == 1
    assert api(company_b.user).get("/api/v1/installations/").json()["count"] == 0
    assert api(company_b.user).get("/api/v1/training-sessions/").json()["count"] == 0


def test_a_software_upgrade_is_recorded_on_the_unit_and_signed_by_both(
    page, users, company_a, company_b
):
    from aftersales.maintenance.models import Upgrade

    tech = page(users.tech)
    url = f"/maintenance/upgrades/new/?unit={company_a.equipment.pk}"
    same = {"software": "NVR 固件", "from_version": "V2.1", "to_version": "V2.1", "changes": "无"}
    assert tech.post(url, same).status_code == 400 and not Upgrade.objects.exists()
    tech.post(url, same | {"to_version": "V2.3", "changes": "修复录像断流"})
    made = Upgrade.objects.get()
    for signer in ("technician", "customer"):
        tech.post(
            made.get_absolute_url(),
            {"step": "sign", "signer": signer, "signature": SIGNATURE, "signed_by": "王工"},
        )
    made.refresh_from_db()
    assert made.status == "signed"
    text = factories.poppler("pdftotext", tech.get(f"{made.get_absolute_url()}pdf/").content)
    assert "软件升级记录" in text.decode() and "V2.3" in text.decode()
    unit = page(users.agent).get(f"/equipment/{company_a.equipment.pk}/").content.decode()
    assert made.number in unit
    signed = page(company_a.user).get(made.get_absolute_url()).content.decode()
    assert signed.count('alt="客户签字"') == 1  # found by a trial: signatures vanished once signed
    portal = page(company_a.user).get("/portal/").content.decode()
    assert f'data-form="{made.number}"' in portal  # and the portal left upgrades out
    assert page(company_b.user).get(made.get_absolute_url()).status_code == 404
    assert f'data-form="{made.number}"' not in page(company_b.user).get("/portal/").content.decode()
    assert page(users.agent).get(url).status_code == 403
