"""Return visits and surveys in the browser (issue 7): a customer answers on a phone,
an agent records a visit, a manager reads the charts."""

import datetime as dt
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from aftersales.feedback import surveys
from aftersales.feedback.models import Answer, SurveyInvitation, Visit
from aftersales.feedback.tests.test_surveys import QUESTIONS, publish
from tests import factories

SH = ZoneInfo("Asia/Shanghai")


def test_a_customer_answers_on_a_390_pixel_screen(open_page, users, company_a):
    question_set = publish(users, questions=QUESTIONS)
    invitation, token = surveys.invitation_create(
        actor=users.agent, question_set=question_set, customer=company_a.customer, to=""
    )
    phone = open_page(width=390, height=844)  # no account
    phone.goto(f"/s/{token}/")
    expect(phone.locator("h1")).to_have_text(question_set.name)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # Sending with a question left out shows the question's error, and keeps what was chosen.
    phone.locator('[data-question="1"] label:has-text("5")').click()
    phone.click("button[type=submit]")
    expect(phone.locator('[data-question="2"] .field-error')).to_be_visible()
    expect(phone.locator('[data-question="1"] input[value="5"]')).to_be_checked()
    phone.locator('[data-question="2"] label:has-text("4")').click()
    phone.locator('[data-question="3"] label:has-text("是")').click()
    phone.fill('[data-question="4"] textarea', "技术员很专业")
    phone.click("button[type=submit]")
    expect(phone.locator("#thanks")).to_be_visible()
    answers = Answer.objects.filter(invitation=invitation).order_by("question__position")
    assert [(a.score, a.choice, a.text) for a in answers] == [
        (5, "", ""),
        (4, "", ""),
        (None, "是", ""),
        (None, "", "技术员很专业"),
    ]
    # The link is spent: opening it again says so and writes nothing.
    phone.goto(f"/s/{token}/")
    expect(phone.locator("#closed")).to_have_attribute("data-reason", "used")
    assert SurveyInvitation.objects.get().answered_at is not None


def test_an_agent_records_a_visit_and_the_manager_sees_the_chart(open_page, users, company_a):
    publish(users, questions=QUESTIONS)
    request = factories.make_request(company_a.customer, actor=users.agent)
    factories.close_request(request, users.agent)
    visit = Visit.objects.get(service_request=request)
    agent = open_page(users.agent, width=390, height=844)
    agent.goto("/visits/?show=due")  # planned three days ahead: not yet due today
    agent.click(f'[data-visit="{visit.pk}"] a')
    expect(agent.locator("#script")).to_contain_text(request.number)
    agent.select_option("#id_reached", "1")
    agent.select_option("#id_score", "5")
    agent.fill("#id_opinions", "很满意")
    agent.click("#record")
    expect(agent.locator("#status")).to_have_text("已回访")
    assert agent.evaluate("document.documentElement.scrollWidth") <= 390
    # The customer answers the survey sent at closing; the manager sees it in the chart.
    invitation = SurveyInvitation.objects.get(service_request=request)
    _spare, token = surveys.invitation_create(
        actor=users.agent,
        question_set=invitation.question_set,
        customer=company_a.customer,
        to="",
    )
    q = list(invitation.question_set.questions.order_by("position"))
    surveys.survey_answer(
        token=token, answers={f"q{q[0].pk}": "5", f"q{q[1].pk}": "3", f"q{q[2].pk}": "否"}
    )
    manager = open_page(users.manager)
    month = dt.datetime.now(SH).strftime("%Y-%m")
    manager.goto(f"/surveys/analysis/?month={month}")
    expect(manager.locator("#overall")).to_have_text("50.0 %")
    # One questionnaire with two scores; the yes/no question is counted, not scored.
    expect(manager.locator("#questionnaires")).to_have_text("1")
    expect(manager.locator('#choices [data-choice="否"] .share')).to_have_text("1 · 100.0 %")
    expect(manager.locator("#question-chart")).to_have_attribute("data-drawn", "1")
    expect(manager.locator("#question-chart svg")).to_be_visible()


def test_a_problem_reaches_the_department_which_answers_on_a_phone(open_page, users, company_a):
    """R-FB-3: transferred on the visit page, it reaches the department's list and bell."""
    from aftersales.accounts.services import department_create, department_set_head

    dept = department_create(actor=None, code="tech", name="技术部")
    department_set_head(actor=None, department=dept, head=users.techdept)
    request = factories.make_request(company_a.customer, actor=users.agent)
    factories.close_request(request, users.agent)
    visit = Visit.objects.get(service_request=request)
    agent = open_page(users.agent)
    agent.goto(f"/visits/{visit.pk}/")
    agent.select_option("#transfer-form select[name=department]", str(dept.pk))
    agent.fill("#transfer-form input[name=description]", "客户要求培训值班人员")
    agent.click("#transfer")
    expect(agent.locator("#issues [data-issue]")).to_contain_text("技术部")
    expect(agent.locator("#issues [data-issue] form")).to_have_count(0)  # not the agent's to answer

    head = open_page(users.techdept, width=390, height=844)
    head.goto("/notifications/")
    head.click("a:has-text('客户要求培训值班人员')")
    expect(head.locator("h1")).to_have_text("本部门转办问题")
    card = head.locator("#issues [data-issue]")
    expect(card).to_contain_text("客户要求培训值班人员")
    expect(card.locator('[data-rule="FB.TRANSFER"]')).to_contain_text("转办问题答复时限")
    card.locator("textarea[name=answer]").fill("下周二安排现场培训")
    card.locator("button[type=submit]").click()
    expect(head.locator("#no-issues")).to_be_visible()
    assert head.evaluate("document.documentElement.scrollWidth") <= 390
    head.click("#show-answered")
    expect(head.locator("#issues")).to_contain_text("下周二安排现场培训")
    assert visit.issues.get().answered_by == users.techdept
