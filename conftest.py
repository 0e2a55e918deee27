"""Fixtures every test may use: one named user per role, two customer companies
with a portal user each, and API clients that log in with a real token."""

from __future__ import annotations

import os
import shutil
from types import SimpleNamespace

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from tests import factories

from aftersales.accounts.roles import Role


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database keeps the roles of its creation; apply today's table."""
    from aftersales.accounts.roles import roles_sync

    with django_db_blocker.unblock():
        roles_sync()


@pytest.fixture(autouse=True)
def _settings_for_tests(settings, tmp_path):
    # Uploaded files go to the test's own temporary folder, never into var/.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Lockout is tested on purpose in its own test; elsewhere it would turn a
    # burst of fuzzed logins into a locked test user.
    settings.AXES_ENABLED = False
    settings.LANGUAGE_CODE = "zh-hans"
    # Tasks run inline in tests (they still wait for the transaction's commit).
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    # A slow hash protects real passwords; tests make hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db):
    """One user per staff role, named as in the demo, plus one with no role at all."""
    names = {
        Role.AGENT: "agent",
        Role.TECHNICIAN: "tech",
        Role.SERVICE_MANAGER: "manager",
        Role.SALES: "sales",
        Role.TECHNICAL: "techdept",
        Role.QUALITY: "quality",
        Role.WAREHOUSE: "warehouse",
        Role.FINANCE: "finance",
        Role.SALES_VP: "vp",
        Role.GENERAL_MANAGER: "gm",
    }
    made = {name: factories.make_user(name, role) for role, name in names.items()}
    made["nobody"] = factories.make_user("nobody")
    return SimpleNamespace(**made)


@pytest.fixture
def company_a(db):
    customer = factories.make_customer("甲公司", region="华东", is_key_customer=True)
    return SimpleNamespace(
        customer=customer,
        equipment=factories.make_equipment(customer, serial_number="A-0001"),
        user=factories.make_portal_user(customer, "customer_a"),
    )


@pytest.fixture
def company_b(db):
    customer = factories.make_customer("乙公司", region="华北")
    return SimpleNamespace(
        customer=customer,
        equipment=factories.make_equipment(customer, serial_number="B-0001"),
        user=factories.make_portal_user(customer, "customer_b"),
    )


@pytest.fixture
def page(client):
    """page(user) -> the Django test client logged in as that user."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def api():
    """api(user) -> an APIClient sending that user's token; api() -> anonymous."""

    def client(user=None, language="zh-hans"):
        c = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            from aftersales.accounts.tokens import expired

            token = Token.objects.filter(user=user).first()
            if token is None or expired(token):  # as a client asks again for a fresh one
                Token.objects.filter(user=user).delete()
                token = Token.objects.create(user=user)
            c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return c

    return client


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium; PostgreSQL tests need PostgreSQL.

    Missing parts are skipped with the reason, unless REQUIRE_BROWSER=1 (CI),
    in which case a missing browser fails instead; REQUIRE_PDF=1 does the same
    for reading printed documents (a Chinese font, poppler-utils, zbar-tools).
    """
    from aftersales.common.pdf import chinese_font

    has_browser = os.path.exists(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    require_browser = os.environ.get("REQUIRE_BROWSER") == "1"
    can_read_pdf = all(
        [chinese_font() is not None, shutil.which("pdftotext"), shutil.which("zbarimg")]
    )
    require_pdf = os.environ.get("REQUIRE_PDF") == "1"
    for item in items:
        if "pdf" in item.keywords and not can_read_pdf and not require_pdf:
            item.add_marker(
                pytest.mark.skip(
                    reason="no Chinese font, pdftotext or zbarimg: apt-get install "
                    "fonts-noto-cjk poppler-utils zbar-tools"
                )
            )
        if "browser" in item.keywords and not has_browser and not require_browser:
            item.add_marker(
                pytest.mark.skip(reason="no /usr/bin/chromium: apt-get install chromium")
            )
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
            )
