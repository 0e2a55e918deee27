"""Rules: R-ORG-1 (roles), R-ORG-3 (customers see their own)."""

import pytest
from django.contrib.auth.models import Group
from tests import factories

from aftersales.accounts.roles import ROLE_PERMISSIONS, Role, roles_sync

pytestmark = pytest.mark.django_db


def test_the_token_endpoint_exchanges_a_password_for_a_token(api, users):
    response = api().post(
        "/api/v1/auth/token/", {"username": "agent", "password": factories.PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = api().get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["username"] == "agent"


def test_a_wrong_password_gets_no_token(api, users):
    response = api().post(
        "/api/v1/auth/token/", {"username": "agent", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


@pytest.mark.parametrize("body", [{}, {"username": "agent"}, {"username": "", "password": ""}])
def test_incomplete_token_requests_are_400(api, users, body):
    assert api().post("/api/v1/auth/token/", body, format="json").status_code == 400


def test_me_lists_roles_and_no_company_for_staff(api, users):
    data = api(users.manager).get("/api/v1/users/me/").json()
    assert data["roles"] == ["service_manager"] and data["customer"] is None


def test_me_names_the_company_of_a_customer_contact(api, company_a):
    data = api(company_a.user).get("/api/v1/users/me/").json()
    assert data["roles"] == ["customer"] and data["customer"] == company_a.customer.pk


def test_one_person_may_hold_several_roles(api, db):
    user = factories.make_user("both", Role.AGENT, Role.TECHNICIAN)
    assert api(user).get("/api/v1/users/me/").json()["roles"] == ["agent", "technician"]


def test_every_role_is_a_group_with_its_permissions(db):
    roles_sync()
    for role, codes in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        have = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert have == codes, role


def test_login_page_logs_in_and_logout_logs_out(client, users):
    response = client.post(
        "/accounts/login/", {"username": "agent", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_a_failed_login_shows_an_error_in_chinese(client, users):
    response = client.post("/accounts/login/", {"username": "agent", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_a_user_changes_their_password(client, users):
    client.force_login(users.agent)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": factories.PASSWORD,
            "new_password1": "Neu-Pass-2026!",
            "new_password2": "Neu-Pass-2026!",
        },
    )
    assert response.status_code == 302
    users.agent.refresh_from_db()
    assert users.agent.check_password("Neu-Pass-2026!")


def test_repeated_failed_logins_lock_the_account(client, users, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/accounts/login/", {"username": "agent", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "agent", "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()


def test_the_token_endpoint_is_locked_too(api, users, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        api().post("/api/v1/auth/token/", {"username": "agent", "password": "x"}, format="json")
    response = api().post(
        "/api/v1/auth/token/", {"username": "agent", "password": factories.PASSWORD}, format="json"
    )
    assert response.status_code in {403, 429}
    assert "token" not in response.content.decode()


def test_the_profile_page_shows_the_roles(client, users):
    client.force_login(users.manager)
    assert "售后服务部经理" in client.get("/accounts/me/").content.decode()


def test_role_changes_are_audited(users):
    from aftersales.accounts.services import user_set_roles

    user_set_roles(actor=users.manager, user=users.tech, roles=[Role.TECHNICIAN, Role.AGENT])
    latest = users.tech.history.order_by("-history_id").first()
    assert latest.history_user == users.manager
    assert latest.history_change_reason == "roles: agent,technician"
