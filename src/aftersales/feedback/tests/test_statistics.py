"""The analysis against a fixture counted by hand (R-FB-5).

Rules: R-FB-5 (survey analysis).
"""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from tests import factories
from tests.factories import poppler

from aftersales.feedback import statistics, surveys
from aftersales.feedback.models import SurveyInvitation
from aftersales.feedback.tests.test_surveys import publish

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
OCTOBER, NOVEMBER = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
QUESTIONS = [
    {"kind": "score", "text": "维修速度"},
    {"kind": "score", "text": "服务态度"},
    {"kind": "text", "text": "其他意见", "required": False},
    {"kind": "choice", "text": "一次解决", "choices": ["是", "否"]},
]


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


@pytest.fixture
def answered(users, company_a, company_b):
    """I1 甲 (华东, tech, model HX-TEST) Oct 5: 5, 4, "很好", 是; I2 乙 (华北, tech2) Oct 20:
    3, 2 (a low score), 否; I3 甲 (tech) Nov 3: 4, 5, 是; I4 乙 sent in October, never
    answered."""
    tech2 = factories.make_user("tech2", "technician")
    question_set = publish(users, questions=QUESTIONS)
    q1, q2, q3, q4 = (f"q{q.pk}" for q in question_set.questions.order_by("position"))
    model = company_a.equipment.product_model

    def send(company, technician, when):
        with at(*when):
            invitation, token = surveys.invitation_create(
                actor=users.agent,
                question_set=question_set,
                customer=company.customer,
                to="",
                technician=technician,
            )
        if company is company_a:
            SurveyInvitation.objects.filter(pk=invitation.pk).update(product_model=model)
        return token

    t1 = send(company_a, users.tech, (2026, 10, 2, 9))
    t2 = send(company_b, tech2, (2026, 10, 19, 9))
    t3 = send(company_a, users.tech, (2026, 10, 30, 9))
    send(company_b, tech2, (2026, 10, 30, 10))
    with at(2026, 10, 5, 10):
        surveys.survey_answer(token=t1, answers={q1: "5", q2: "4", q3: "很好", q4: "是"})
    with at(2026, 10, 20, 10):
        surveys.survey_answer(token=t2, answers={q1: "3", q2: "2", q4: "否"}, comment="等了三天")
    with at(2026, 11, 3, 10):
        surveys.survey_answer(token=t3, answers={q1: "4", q2: "5", q4: "是"})
    return {"model": model, "tech2": tech2}


def rows(rates):
    """label: (questionnaires, scores given, satisfied, rate, average)."""
    return {r.label: (r.questionnaires, r.answered, r.satisfied, r.rate, r.average) for r in rates}


def test_october_counted_by_hand(users, answered):
    with at(2026, 11, 5, 9):
        report = statistics.report(OCTOBER, OCTOBER)
    # Two questionnaires gave scores 5, 4, 3, 2: two of four are 4–5.
    assert (report.overall.answered, report.overall.satisfied, report.overall.rate) == (4, 2, 50.0)
    assert report.overall.questionnaires == 2
    assert report.overall.average == 3.5
    assert rows(report.by_question) == {
        "维修速度 (v1)": (2, 2, 1, 50.0, 4.0),
        "服务态度 (v1)": (2, 2, 1, 50.0, 3.0),
    }
    assert rows(report.by_technician) == {
        "tech": (1, 2, 2, 100.0, 4.5),
        "tech2": (1, 2, 0, 0.0, 2.5),
    }
    assert rows(report.by_region) == {"华东": (1, 2, 2, 100.0, 4.5), "华北": (1, 2, 0, 0.0, 2.5)}
    # The yes/no question: one 是, one 否.
    assert [(t.question, t.total, t.counts) for t in report.choices] == [
        ("一次解决 (v1)", 2, [("是", 1, 50.0), ("否", 1, 50.0)])
    ]
    model = answered["model"]
    assert rows(report.by_product) == {
        f"{model.code} {model.name}": (1, 2, 2, 100.0, 4.5),
        "未知": (1, 2, 0, 0.0, 2.5),
    }
    # Sent in October: I1, I2, I4 (I3 on the 30th too): 4 sent, 2 answered in October.
    assert (report.invited, report.answered, report.response_rate) == (4, 2, 50.0)
    # I2's low score planned a follow-up (FB.FOLLOW_UP, 3 working days: 23 October), not made.
    assert report.visits == {"planned": 1, "done": 0, "rate": 0.0, "late": 1}
    assert [c["text"] for c in report.comments] == ["等了三天", "很好"]


def test_the_year_and_its_trend(users, answered):
    with at(2026, 12, 1, 9):
        report = statistics.report(dt.date(2026, 1, 1), dt.date(2026, 12, 1))
    assert (report.overall.answered, report.overall.satisfied, report.overall.rate) == (6, 4, 66.7)
    assert rows(report.by_month) == {
        "2026-10": (2, 4, 2, 50.0, 3.5),
        "2026-11": (1, 2, 2, 100.0, 4.5),
    }
    assert report.overall.questionnaires == 3
    assert report.choices[0].counts == [("是", 2, 66.7), ("否", 1, 33.3)]


def test_the_page_excel_and_who_may_see_it(
    page, users, company_a, answered, django_assert_max_num_queries
):
    client = page(users.manager)
    with at(2026, 11, 5, 9):
        with django_assert_max_num_queries(25):
            html = client.get("/surveys/analysis/?month=2026-10").content.decode()
        assert 'id="overall">50.0 %<' in html and "echarts.min.js" in html
        assert 'id="responses">4 / 2<' in html and 'id="questionnaires">2<' in html
        assert 'data-choice="否"' in html
        year = client.get("/surveys/analysis/?year=2026").content.decode()
        assert 'id="trend-chart"' in year and '"2026-11"' in year
        yearly = client.get("/surveys/analysis/?year=2026&format=xlsx")
        assert 'filename="satisfaction-2026.xlsx"' in yearly["Content-Disposition"]
        monthly = client.get("/surveys/analysis/?month=2026-10&format=xlsx")
        assert 'filename="satisfaction-2026-10.xlsx"' in monthly["Content-Disposition"]
        book = load_workbook(io.BytesIO(monthly.content))
        assert book.sheetnames[:2] == ["汇总", "按问题"]
        assert [c.value for c in book["按问题"][2]] == ["维修速度 (v1)", 2, 2, 1, 0.5, 4]
        assert book["按问题"].cell(2, 5).number_format == "0.0%"  # a number shown as 50.0 %
        summary = {row[0].value: row[1].value for row in book["汇总"].iter_rows(min_row=2)}
        assert summary["满意率（4–5 分）"] == 0.5 and summary["有评分的答卷数"] == 2
    assert page(company_a.user).get("/surveys/analysis/").status_code == 403
    assert page(users.nobody).get("/surveys/analysis/").status_code == 403


@pytest.mark.pdf
def test_the_monthly_report_as_pdf(page, users, answered):
    with at(2026, 11, 5, 9):
        content = page(users.manager).get("/surveys/analysis/?month=2026-10&format=pdf").content
    text = poppler("pdftotext", content, "-layout").decode()
    for expected in ("顾客满意度调查表 2026-10", "50.0 %", "维修速度 (v1)", "tech2", "等了三天"):
        assert expected in text, expected


def test_the_page_opens_on_this_month_when_last_month_had_no_survey(page, users, answered):
    client = page(users.manager)
    with at(2026, 10, 31, 20):  # September had none; October has its answers
        html = client.get("/surveys/analysis/").content.decode()
        assert 'value="2026-10"' in html and 'id="empty-period"' not in html
        asked = client.get("/surveys/analysis/?month=2026-09").content.decode()
        assert 'id="empty-period"' in asked  # a month asked for is that month


def test_questions_are_written_with_chinese_kind_words():
    from aftersales.feedback.forms import parse_questions

    parsed = parse_questions(
        "评分：您对维修速度是否满意？\n选择：是否一次解决？ | 是 | 否\n文字？：其他意见"
    )
    assert [(q["kind"], q["required"]) for q in parsed] == [
        ("score", True),
        ("choice", True),
        ("text", False),
    ]
    assert parse_questions("score: 速度")[0]["kind"] == "score"  # the code still works
