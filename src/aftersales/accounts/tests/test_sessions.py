"""Tokens that expire and can be revoked, a password reset by e-mail, and the login
lockout keyed to the real client behind a proxy (issue 14 item 11).

Rules: R-ORG-1 (who may use the system)."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from rest_framework.authtoken.models import Token
from tests import factories

pytestmark = pytest.mark.django_db


def _token(api, username="agent"):
    answer = api().post(
        "/api/v1/auth/token/", {"username": username, "password": factories.PASSWORD}, format="json"
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def _me(api, key):
    return api().get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_expires_and_asking_again_issues_a_new_one(api, users, settings):
    settings.API_TOKEN_DAYS = 30
    issued = _token(api)
    assert issued["expires_at"].endswith("+08:00")
    assert _me(api, issued["token"]).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        late = _me(api, issued["token"])
        assert late.status_code == 401 and "过期" in late.json()["detail"]
        fresh = _token(api)
        assert fresh["token"] != issued["token"]
        assert _me(api, fresh["token"]).status_code == 200


def test_a_token_is_revoked_in_the_api_and_on_the_account_page(api, client, users):
    key = _token(api)["token"]
    revoked = api().post("/api/v1/auth/token/revoke/", HTTP_AUTHORIZATION=f"Token {key}")
    assert revoked.status_code == 204
    assert _me(api, key).status_code == 401
    key = _token(api)["token"]
    client.force_login(users.agent)
    html = client.get("/accounts/me/").content.decode()
    assert 'id="revoke-token"' in html
    client.post("/accounts/me/", {"step": "revoke-token"})
    assert not Token.objects.filter(user=users.agent).exists()
    assert _me(api, key).status_code == 401
    reasons = set(users.agent.history.values_list("history_change_reason", flat=True))
    assert {"api token issued", "api token revoked"} <= reasons
    assert api().post("/api/v1/auth/token/revoke/").status_code == 401


def test_a_forgotten_password_is_reset_through_a_link_by_e_mail(client, users):
    users.agent.email = "agent@example.com"
    users.agent.save()
    assert 'id="forgot"' in client.get("/accounts/login/").content.decode()
    sent = client.post("/accounts/password/reset/", {"email": "AGENT@example.com"})
    assert sent.status_code == 302
    assert (
        client.post("/accounts/password/reset/", {"email": "nobody@example.com"}).status_code == 302
    )
    [message] = mail.outbox  # nothing is sent for an unknown address, and it does not say so
    assert message.to == ["agent@example.com"] and "密码" in message.subject
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert 'id="set-password"' in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Neu-Pass-2026!x", "new_password2": "Neu-Pass-2026!x"},
    )
    assert done.status_code == 302
    users.agent.refresh_from_db()
    assert users.agent.check_password("Neu-Pass-2026!x")
    assert 'id="bad-link"' in client.get(link, follow=True).content.decode()  # used once


def test_a_customer_gives_an_e_mail_on_their_account_page_and_can_reset(client, company_a):
    """A portal account starts with its contact's address, and its holder may change it."""
    from aftersales.customers import services as customers

    contact = customers.contact_create(
        actor=None, customer=company_a.customer, name="钱经理", email="qian@example.cn"
    )
    account = factories.make_user("qian", "customer")
    customers.contact_update(actor=None, contact=contact, user=account)
    account.refresh_from_db()
    assert account.email == "qian@example.cn"
    client.force_login(account)
    assert 'id="contact-details"' in client.get("/accounts/me/").content.decode()
    bad = client.post("/accounts/me/", {"step": "details", "email": "not-an-address", "phone": ""})
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    account.refresh_from_db()
    assert account.email == "qian@example.cn"
    saved = client.post(
        "/accounts/me/", {"step": "details", "email": "qian@home.cn", "phone": "13900001111"}
    )
    assert saved.status_code == 302
    account.refresh_from_db()
    assert (account.email, account.phone) == ("qian@home.cn", "13900001111")
    assert "contact details changed" in account.history.values_list(
        "history_change_reason", flat=True
    )
    users_email = factories.make_user("zhao", "customer")
    users_email.email = "zhao@home.cn"
    users_email.save()
    taken = client.post("/accounts/me/", {"step": "details", "email": "ZHAO@home.cn", "phone": ""})
    assert taken.status_code == 200 and "另一个账户" in taken.content.decode()
    client.logout()
    client.post("/accounts/password/reset/", {"email": "qian@home.cn"})
    [message] = mail.outbox
    assert message.to == ["qian@home.cn"]


def test_behind_a_proxy_one_client_cannot_lock_a_user_out_for_everyone(client, users, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.BEHIND_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"}  # forged left part
    for _ in range(4):
        client.post("/accounts/login/", {"username": "agent", "password": "wrong"}, **attacker)
    locked = client.post(
        "/accounts/login/", {"username": "agent", "password": factories.PASSWORD}, **attacker
    )
    assert locked.status_code == 429
    # The agent, from their own address through the same proxy, still logs in.
    honest = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    ok = client.post(
        "/accounts/login/", {"username": "agent", "password": factories.PASSWORD}, **honest
    )
    assert ok.status_code == 302
