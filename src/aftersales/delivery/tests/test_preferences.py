"""Who hears what (issue 18 item 4): per person and role, per kind of alert, which
channels; the bell always; quiet hours hold back what is not urgent, by e-mail and
SMS alike; urgent alerts never wait."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests import factories

from aftersales.common.models import OutboundMessage
from aftersales.delivery.models import Preference
from aftersales.delivery.preferences import chooser, preferences_of, preferences_set
from aftersales.obligations.models import Notification
from aftersales.obligations.notices import notify

pytestmark = pytest.mark.django_db
Event = Preference.Event


def _sent(user):
    return set(
        OutboundMessage.objects.filter(to__in=[user.email, user.phone]).values_list(
            "channel", flat=True
        )
    )


def test_a_roles_default_and_a_persons_own_choice(users):
    users.manager.email, users.manager.phone = "chen@example.com", "13900000001"
    users.manager.save()
    Preference.objects.create(role="service_manager", event=Event.NEWS, email=False, sms=True)
    notify(users=[users.manager], message="重大投诉 TS-1")
    assert _sent(users.manager) == {"sms"}
    assert Notification.objects.filter(user=users.manager).count() == 1  # the bell, always
    preferences_set(actor=users.manager, user=users.manager, chosen={Event.NEWS: (True, False)})
    OutboundMessage.objects.all().delete()
    notify(users=[users.manager], message="重大投诉 TS-2")
    assert _sent(users.manager) == {"email"}
    assert preferences_of(users.manager)[Event.NEWS] == (True, False)
    assert preferences_of(users.manager)[Event.WARNING] == (True, False)  # no row: e-mail


def test_any_role_asking_turns_a_channel_on(users):
    from aftersales.accounts.services import user_set_roles

    user_set_roles(actor=None, user=users.agent, roles=["agent", "quality"])
    Preference.objects.create(role="agent", event=Event.ESCALATION, email=False, sms=False)
    Preference.objects.create(role="quality", event=Event.ESCALATION, email=False, sms=True)
    choose = chooser([users.agent, users.tech])
    assert choose(users.agent, Event.ESCALATION) == (False, True)
    assert choose(users.tech, Event.ESCALATION) == (True, False)


def test_quiet_hours_hold_back_sms_too_but_not_urgent_ones(users, settings):
    from aftersales.obligations.notices import deliver

    person = users.manager
    person.phone, person.email = "13900000001", ""
    now = timezone.localtime().replace(tzinfo=None)
    person.quiet_from = (now - dt.timedelta(hours=1)).time()
    person.quiet_until = (now + dt.timedelta(hours=2)).time()
    person.save()
    Preference.objects.create(role="service_manager", event=Event.NEWS, email=False, sms=True)
    with factories.committed():
        notify(users=[person], message="区域预警")
    held = OutboundMessage.objects.get(to=person.phone)
    assert held.next_try_at is not None and held.status == "queued"
    person.sms_alerts = True
    person.save()
    with factories.committed():
        deliver(
            [Notification(user=person, message="重大投诉", created_at=held.at, round=1, step=0)],
            urgent=True,
        )
    urgent = OutboundMessage.objects.filter(to=person.phone).exclude(pk=held.pk).get()
    assert urgent.status == "logged"  # sent at once (the demo's SMS log), not held


def test_the_account_page_sets_the_channels(page, users, company_a):
    client = page(users.tech)
    html = client.get("/accounts/me/").content.decode()
    assert 'id="alert-channels"' in html and 'name="escalation-sms"' in html
    client.post("/accounts/me/", {"step": "alerts", "warning-email": "on", "escalation-sms": "on"})
    assert preferences_of(users.tech) == {
        Event.WARNING: (True, False),
        Event.ESCALATION: (False, True),
        Event.NEWS: (False, False),
    }
    row = Preference.objects.get(user=users.tech, event=Event.ESCALATION)
    assert row.history.first().history_user == users.tech
    customer = page(company_a.user).get("/accounts/me/").content.decode()
    assert 'id="alert-channels"' not in customer
    page(company_a.user).post("/accounts/me/", {"step": "alerts", "news-sms": "on"})
    assert not Preference.objects.filter(user=company_a.user).exists()
