"""Demo surveys, visits and answers."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from aftersales.accounts.models import Department, User
from aftersales.customers.models import Customer


def demo_feedback(staff: dict[str, User]) -> None:
    """Surveys in use, a repair closed (its visit and survey), answers with one low score
    (its follow-up), and this quarter's visit plan."""
    from aftersales.feedback import surveys, visits
    from aftersales.feedback.models import Visit
    from aftersales.service import service_requests

    after = surveys.question_set_create(
        actor=staff["manager"],
        code="after-service",
        name="售后服务满意度调查",
        kind="after_service",
        intro="感谢您使用我们的服务，请花一分钟评价本次服务。",
        questions=[
            {"kind": "score", "text": "您对响应速度是否满意？"},
            {"kind": "score", "text": "您对技术员的专业水平和服务态度是否满意？"},
            {"kind": "choice", "text": "问题是否一次解决？", "choices": ["是", "否"]},
            {"kind": "text", "text": "其他意见和建议", "required": False},
        ],
    )
    surveys.question_set_publish(actor=staff["manager"], question_set=after)
    annual = surveys.question_set_create(
        actor=staff["manager"],
        code="annual",
        name="年度顾客满意度调查",
        kind="annual",
        questions=[
            {"kind": "score", "text": "您对我们全年的服务总体是否满意？"},
            {"kind": "score", "text": "您对备品备件供应是否满意？"},
            {"kind": "text", "text": "您希望我们明年改进什么？", "required": False},
        ],
    )
    surveys.question_set_publish(actor=staff["manager"], question_set=annual)
    # A repair closed yesterday: its return visit is due and its survey was sent.
    customer = Customer.objects.order_by("pk")[1]
    contact = customer.contacts.order_by("pk").first()
    repaired = service_requests.service_request_create(
        actor=staff["agent"],
        customer=customer,
        channel="phone",
        severity="P3",
        caller_name=contact.name if contact else "客户",
        caller_phone=contact.phone if contact else "13800000000",
        description="摄像机夜视画面偏红",
        received_at=timezone.now() - dt.timedelta(days=2),
    )
    service_requests.service_request_resolve(
        actor=staff["agent"], request=repaired, resolution="更换红外滤光片切换器"
    )
    service_requests.service_request_close(
        actor=staff["agent"],
        request=repaired,
        confirmed_by=repaired.caller_name,
        confirmed_via="phone",
    )
    keys = [f"q{q.pk}" for q in after.questions.order_by("position")]
    customers_ = list(Customer.objects.order_by("pk")[:6])
    for customer, scores, comment in zip(
        customers_,
        [("5", "5", "是"), ("4", "5", "是"), ("5", "4", "是"), ("2", "3", "否"), ("4", "4", "是")],
        ["技术员很专业", "", "响应很快", "等了两天才有人来", ""],
        strict=False,
    ):
        _invitation, token = surveys.invitation_create(
            actor=staff["agent"],
            question_set=after,
            customer=customer,
            to="",
            technician=staff["tech"],
        )
        surveys.survey_answer(
            token=token, answers=dict(zip(keys, scores, strict=False)), comment=comment
        )
    # One still to answer: company A's contact finds it in the portal.
    surveys.invitation_create(
        actor=staff["agent"],
        question_set=after,
        customer=customers_[0],
        to="",
        technician=staff["tech"],
    )
    visits.visits_plan()
    # A call on a planned visit raised what a visit cannot solve: the technical
    # department answers it on its own list.
    visits.visit_transfer(
        actor=staff["agent"],
        visit=Visit.objects.filter(status=Visit.Status.DUE).earliest("planned_on", "pk"),
        department=Department.objects.get(code="technical"),
        description="客户希望我们培训值班人员调校夜视参数",
    )
