"""Training (R-PM-5): a customer's plan twice a year on working days, a held session with
each attendee's theory and practical scores against the pass mark, both sign, and the
summary report to the customer."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.maintenance import training
from aftersales.maintenance.models import TrainingSession

pytestmark = pytest.mark.django_db
SIGNATURE = factories.drawn_signature()


@time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_twice_a_year_is_one_session_each_half_and_again_adds_nothing(users, company_a):
    made = training.training_plan(
        actor=users.manager, customer=company_a.customer, year=2026, topic="设备日常操作"
    )
    # 1 January to 1 July, and 2 July to 31 December (the year in two equal halves):
    # the middle working day of each — Thursday 2 April, before the Qingming days off,
    # and Tuesday 29 September, before the National Day holiday.
    assert [s.planned_on for s in made] == [dt.date(2026, 4, 2), dt.date(2026, 9, 29)]
    assert (
        training.training_plan(
            actor=users.manager, customer=company_a.customer, year=2026, topic="设备日常操作"
        )
        == []
    )
    assert TrainingSession.objects.count() == 2


def test_a_held_session_scores_each_attendee_and_the_report_follows_both_signatures(
    users, company_a
):
    session = training.training_plan(
        actor=users.manager,
        customer=company_a.customer,
        year=2026,
        topic="录像系统操作",
        times=1,
        trainer=users.tech,
    )[0]
    with factories.refused("attendee-2"):
        training.training_hold(
            actor=users.tech,
            session=session,
            attendees=[
                {"name": "张三", "theory": 90, "practical": 85},
                {"name": "李四", "theory": 101},
            ],
        )
    with factories.refused("attendee-1"):  # found by a trial: a blank score was taken
        training.training_hold(
            actor=users.tech,
            session=session,
            attendees=[{"name": "张三", "theory": 90, "practical": ""}],
        )
    training.training_hold(
        actor=users.tech,
        session=session,
        place="中心控制室",
        attendees=[
            {"name": "张三", "post": "值班员", "theory": 90, "practical": 85},
            {"name": "李四", "post": "值班员", "theory": 55, "practical": 70},
            {"name": "", "theory": ""},
        ],
    )
    session.refresh_from_db()
    assert training.pass_rate(session) == (1, 2)
    with factories.refused(conflict="双方须"):
        training.training_report(actor=users.tech, session=session, summary="掌握基本操作")
    training.training_sign(
        actor=users.tech, session=session, signer="technician", signature=SIGNATURE
    )
    training.training_sign(
        actor=users.tech, session=session, signer="customer", signature=SIGNATURE, signed_by="王工"
    )
    done = training.training_report(actor=users.tech, session=session, summary="掌握基本操作")
    assert done.status == "reported"


def test_a_customer_cannot_be_the_trainer_and_nobody_else_records(users, company_a):
    with factories.refused("trainer"):
        training.training_plan(
            actor=users.manager,
            customer=company_a.customer,
            year=2026,
            topic="培训",
            trainer=company_a.user,
        )
    session = training.training_plan(
        actor=users.manager,
        customer=company_a.customer,
        year=2026,
        topic="培训",
        trainer=users.tech,
    )[0]
    with factories.refused("trainer"):
        training.training_hold(
            actor=factories.make_user("tech6", "technician"),
            session=session,
            attendees=[{"name": "张三"}],
        )


@time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_this_years_plan_made_in_december_has_no_session_in_the_past(users, company_a):
    """Found by a trial: planned on 7 December, the sessions fell in April and September."""
    made = training.training_plan(
        actor=users.manager, customer=company_a.customer, year=2026, topic="设备日常操作"
    )
    assert len(made) == 1 and dt.date(2026, 12, 7) <= made[0].planned_on <= dt.date(2026, 12, 31)
