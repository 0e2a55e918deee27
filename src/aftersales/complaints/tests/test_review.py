"""The monthly review against a fixture month whose figures are counted by hand.

Rules: R-CP-9 (the monthly review), R-ORG-2 (by department).
"""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from tests import factories
from tests.factories import poppler

from aftersales.accounts.services import department_create
from aftersales.complaints import decisions, review, services
from aftersales.complaints.models import MonthlyReview

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
OCTOBER = dt.date(2026, 10, 1)


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


def register(users, phone, category, when, **changes):
    with at(*when):
        return services.complaint_register(
            actor=users.agent,
            complainant_name=f"客户{phone[-2:]}",
            complainant_phone=phone,
            category=category,
            channel="phone",
            demand="d",
            description="d",
            **changes,
        )


@pytest.fixture
def october(users):
    """Four complaints in October 2026 and one in September:
    - A (13800000001, product quality, Oct 9 10:00): contacted in 1 h, transferred the
      same day, decided upheld by quality, approved, responsibility and penalty;
    - B (13800000001 again, staff attitude about tech of 服务部, Oct 12 9:00): contacted
      5 h later (late), never transferred (breached by the month's end);
    - C (13800000002, other, Oct 20): declined (its limits cancelled);
    - D (13800000003, installation, Oct 31 23:00): nothing yet (its limits still run);
    - September: 13800000002 once before, so C's complainant repeats too.
    """
    dept = department_create(actor=None, code="svc", name="服务部")
    users.tech.department = dept
    users.tech.save()
    register(users, "13800000002", "other", (2026, 9, 15, 10))
    a = register(users, "13800000001", "product_quality", (2026, 10, 9, 10))
    with at(2026, 10, 9, 11):
        services.complaint_contact(actor=users.agent, complaint=a, note="已联系")
        services.complaint_transfer(actor=users.manager, complaint=a, responsible=users.quality)
        services.complaint_investigate(actor=users.quality, complaint=a, note="抽检同批次")
        decisions.complaint_decide(
            actor=users.quality,
            complaint=a,
            decision="upheld",
            text="属实",
            responsibility="质量部",
            penalty="扣绩效 3%",
        )
        decisions.complaint_approve(actor=users.manager, complaint=a)
    b = register(
        users,
        "13800000001",
        "staff_attitude",
        (2026, 10, 12, 9),
        target_kind="person",
        target_person=users.tech,
    )
    with at(2026, 10, 12, 14):
        services.complaint_contact(actor=users.agent, complaint=b, note="已致歉")
    c = register(users, "13800000002", "other", (2026, 10, 20, 10))
    with at(2026, 10, 20, 11):
        services.complaint_decline(actor=users.manager, complaint=c, reason="超出范围")
    register(users, "13800000003", "installation_quality", (2026, 10, 31, 23))
    return {"a": a, "b": b, "c": c}


def test_the_month_by_category_department_and_outcome(users, october):
    with at(2026, 11, 2, 9):
        figures = review.monthly_review(OCTOBER)
    assert figures.total == 4
    assert dict(figures.by_category) == {"产品质量": 1, "服务态度": 1, "其他": 1, "安装施工质量": 1}
    # B names tech of 服务部; A went to quality (no department); C and D to nobody.
    assert dict(figures.by_department) == {"服务部": 1, "未指定": 3}
    assert dict(figures.by_outcome) == {"成立": 1, "不予受理": 1, "未决": 2}


def test_time_limit_compliance_per_rule_at_the_months_end(users, october):
    with at(2026, 11, 2, 9):
        figures = {c.rule: c for c in review.monthly_review(OCTOBER).compliance}
    contact = figures["CP.CONTACT"]
    # A on time (1 h), B late (5 h), C cancelled (not counted), D still running.
    assert (contact.met, contact.late, contact.breached, contact.running) == (1, 1, 0, 1)
    assert contact.rate == 50.0
    transfer = figures["CP.TRANSFER"]
    # A on time; B due Oct 12 18:00, never done: breached; D due Nov 2: running.
    assert (transfer.met, transfer.late, transfer.breached, transfer.running) == (1, 0, 1, 1)


def test_repeat_complainants_and_the_upheld_with_responsibility_and_penalty(users, october):
    with at(2026, 11, 2, 9):
        figures = review.monthly_review(OCTOBER)
    assert [(phone, n) for _name, phone, n in figures.repeat_complainants] == [
        ("13800000001", 2),
        ("13800000002", 2),
    ]
    assert [(c.number, c.responsibility, c.penalty) for c in figures.upheld] == [
        (october["a"].number, "质量部", "扣绩效 3%")
    ]


def test_the_manager_signs_off_once_the_month_is_over(users, october):
    with at(2026, 10, 31, 20), factories.refused(conflict="尚未结束"):
        review.review_sign(actor=users.manager, month=OCTOBER)
    with at(2026, 11, 2, 9):
        with factories.refused("month"):
            review.review_sign(actor=users.quality, month=OCTOBER)
        review.review_sign(actor=users.manager, month=OCTOBER, note="已评审")
        with factories.refused(conflict="的评审已签署"):
            review.review_sign(actor=users.manager, month=OCTOBER)
        assert review.monthly_review(OCTOBER).signed.signed_by == users.manager


def test_the_review_page_excel_and_who_may_see_it(page, users, company_a, october):
    with at(2026, 11, 2, 9):
        client = page(users.manager)
        html = client.get("/complaints/review/", {"month": "2026-10"}).content.decode()
        assert 'id="total">4<' in html and 'data-rule="CP.CONTACT"' in html
        download = client.get("/complaints/review/", {"month": "2026-10", "format": "xlsx"})
        book = load_workbook(io.BytesIO(download.content))
        assert book.sheetnames[0] == "汇总" and book["汇总"]["B2"].value == 4
        client.post("/complaints/review/", {"month": "2026-10", "note": "ok"})
        assert MonthlyReview.objects.filter(month=OCTOBER).exists()
        assert page(company_a.user).get("/complaints/review/").status_code == 403
        assert page(users.nobody).get("/complaints/review/").status_code == 403


def test_the_review_through_the_api(api, users, company_a, october):
    with at(2026, 11, 2, 9):
        data = api(users.vp).get("/api/v1/complaint-review/", {"month": "2026-10"}).json()
        assert data["total"] == 4 and data["signed_by"] is None
        rates = {c["rule"]: c["rate"] for c in data["compliance"]}
        assert rates["CP.CONTACT"] == 50.0
        assert (
            api(users.vp).post("/api/v1/complaint-review/", {"month": "2026-10"}).status_code == 403
        )
        bad = api(users.manager).get("/api/v1/complaint-review/", {"month": "October"})
        assert bad.status_code == 400 and "month" in bad.json()
        signed = api(users.manager).post("/api/v1/complaint-review/", {"month": "2026-10"})
        assert signed.status_code == 201 and signed.json()["signed_by"] == users.manager.pk
        assert (
            api(company_a.user).get("/api/v1/complaint-review/", {"month": "2026-10"}).status_code
            == 403
        )


@pytest.mark.pdf
def test_the_review_as_pdf_page_and_api(page, api, users, company_a, october):
    with at(2026, 11, 2, 9):
        review.review_sign(actor=users.manager, month=OCTOBER, note="已评审")
        response = page(users.manager).get(
            "/complaints/review/", {"month": "2026-10", "format": "pdf"}
        )
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = poppler("pdftotext", response.content, "-layout").decode()
        # The same figures as the page: the month, the total, the categories, the
        # compliance row, the repeat complainant, the upheld one with its penalty, the signer.
        for expected in (
            "2026-10 月度投诉评审",
            "产品质量",
            "服务部",
            "联系投诉人时限",  # the rule by its name, never its code
            "13800000001",
            october["a"].number,
            "扣绩效 3%",
            "manager",
        ):
            assert expected in text, expected
        assert "受理投诉数：4" in text
        fonts = poppler("pdffonts", response.content).decode()
        assert "CID" in fonts and "yes yes yes" in fonts
        by_api = api(users.vp).get(
            "/api/v1/complaint-review/", {"month": "2026-10"}, HTTP_ACCEPT="application/pdf"
        )
        assert by_api.status_code == 200 and by_api.content.startswith(b"%PDF-")
        refused = api(company_a.user).get(
            "/api/v1/complaint-review/", {"month": "2026-10"}, HTTP_ACCEPT="application/pdf"
        )
        assert refused.status_code == 403
        assert page(company_a.user).get("/complaints/review/?format=pdf").status_code == 403
