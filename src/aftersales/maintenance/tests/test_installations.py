"""Delivery, installation and commissioning (R-PM-4): called ahead, delivered, unpacked
with the customer, commissioned within PM.COMMISSION, accepted by both sides (the
acceptance date starts the warranty), the installer scored on the follow-up call."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.customers.models import Equipment
from aftersales.maintenance import installations

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
SIGNATURE = factories.drawn_signature()
# Thursday 24 September 2026, 15:00: two working days are Friday 25th (Mid-Autumn,
# off) … so Monday 28th and Tuesday 29th.
ARRIVED = dt.datetime(2026, 9, 24, 15, 0, tzinfo=SH)


@pytest.fixture
def planned(users, company_a):
    unit = factories.make_equipment(
        company_a.customer, serial_number="NEW-0001", accepted_on=None, warranty_months=12
    )
    return installations.installation_plan(
        actor=users.manager,
        equipment=unit,
        installer=users.tech,
        planned_on=dt.date(2026, 9, 24),
        contact_name="王工",
        contact_phone="13900001111",
    )


def test_the_whole_installation_starts_the_warranty_on_the_day_of_acceptance(users, planned):
    with factories.refused("note"):
        installations.installation_deliver(actor=users.tech, installation=planned)
    installations.installation_call(actor=users.tech, installation=planned, note="约定上午送货")
    with time_machine.travel(ARRIVED, tick=False):
        delivered = installations.installation_deliver(actor=users.tech, installation=planned)
    limit = delivered.obligations.get(rule="PM.COMMISSION")
    assert limit.due_at == dt.datetime(2026, 9, 29, 18, 0, tzinfo=SH)
    with factories.refused(conflict="开箱"):
        installations.installation_commission(
            actor=users.tech, installation=planned, commissioning="通电测试正常"
        )
    installations.installation_unpack(
        actor=users.tech, installation=planned, outcome="damaged", note="机箱凹陷"
    )
    with factories.refused(conflict="开箱"):
        installations.installation_commission(
            actor=users.tech, installation=planned, commissioning="通电测试正常"
        )
    installations.installation_unpack(
        actor=users.tech, installation=planned, outcome="ok", signed_by="王工"
    )
    with time_machine.travel(dt.datetime(2026, 9, 28, 11, 0, tzinfo=SH), tick=False):
        done = installations.installation_commission(
            actor=users.tech, installation=planned, commissioning="通电测试正常，录像回放正常"
        )
    assert done.obligations.get(rule="PM.COMMISSION").state == "met"
    with time_machine.travel(dt.datetime(2026, 9, 28, 16, 0, tzinfo=SH), tick=False):
        installations.installation_sign(
            actor=users.tech, installation=planned, signer="technician", signature=SIGNATURE
        )
        accepted = installations.installation_sign(
            actor=users.tech,
            installation=planned,
            signer="customer",
            signature=SIGNATURE,
            signed_by="王工",
        )
    assert accepted.status == "accepted" and accepted.accepted_on == dt.date(2026, 9, 28)
    unit = Equipment.objects.get(pk=planned.equipment_id)
    assert unit.accepted_on == dt.date(2026, 9, 28)
    assert unit.warranty_until == dt.date(2027, 9, 27)
    assert unit.delivered_on == dt.date(2026, 9, 24)


def accept(users, planned):
    """The whole path, as the technician walks it."""
    installations.installation_call(actor=users.tech, installation=planned, note="约定")
    installations.installation_deliver(actor=users.tech, installation=planned)
    installations.installation_unpack(
        actor=users.tech, installation=planned, outcome="ok", signed_by="王工"
    )
    installations.installation_commission(
        actor=users.tech, installation=planned, commissioning="正常"
    )
    for signer in ("technician", "customer"):
        installations.installation_sign(
            actor=users.tech,
            installation=planned,
            signer=signer,
            signature=SIGNATURE,
            signed_by="王工",
        )


def test_the_follow_up_call_scores_the_installer_once_from_1_to_5(users, planned):
    with factories.refused(conflict="验收"):
        installations.installation_score(actor=users.agent, installation=planned, score=5)
    accept(users, planned)
    with factories.refused("score"):
        installations.installation_score(actor=users.agent, installation=planned, score=6)
    with factories.refused("score"):  # found by a trial: the installer scored himself
        installations.installation_score(actor=users.tech, installation=planned, score=5)
    installations.installation_score(actor=users.agent, installation=planned, score=4, note="满意")
    with factories.refused(conflict="已为安装人员评分"):
        installations.installation_score(actor=users.agent, installation=planned, score=5)


def test_a_second_installation_of_a_unit_and_a_bad_phone_are_refused(users, planned):
    with factories.refused(conflict="已有安装"):
        installations.installation_plan(
            actor=users.manager,
            equipment=planned.equipment,
            installer=users.tech,
            planned_on=dt.date(2026, 10, 8),
            contact_name="王工",
            contact_phone="13900001111",
        )
    other = factories.make_equipment(planned.customer, serial_number="NEW-0002")
    with factories.refused("contact_phone", "installer"):
        installations.installation_plan(
            actor=users.manager,
            equipment=other,
            installer=users.agent,
            planned_on=dt.date(2026, 10, 8),
            contact_name="王工",
            contact_phone="打电话",
        )


def test_only_the_installer_records_it(users, planned):
    other = factories.make_user("tech8", "technician")
    with factories.refused("installer"):
        installations.installation_call(actor=other, installation=planned, note="约定")


def test_a_unit_accepted_already_is_not_installed_again(users, company_a):
    """Found by a trial: planning the installation of a unit in service overwrote its
    acceptance date and so its warranty."""
    unit = company_a.equipment
    assert unit.accepted_on is not None
    with factories.refused(conflict="已安装完毕"):
        installations.installation_plan(
            actor=users.manager,
            equipment=unit,
            installer=users.tech,
            planned_on=dt.date(2026, 10, 8),
            contact_name="王工",
            contact_phone="13900001111",
        )
    assert not unit.installations.exists()
