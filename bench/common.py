"""What the benchmark scripts share once Django is set up."""

from __future__ import annotations

from django.db import connection
from django.test import Client

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.accounts.services import user_create


def analyze() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL; SQLite's ANALYZE too)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def agent_client() -> tuple[User, Client]:
    """The benchmark's agent, and a test client logged in as them."""
    agent = User.objects.filter(username="bench-agent").first() or user_create(
        actor=None, username="bench-agent", password="bench-pass-1", roles=[Role.AGENT]
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(agent)
    return agent, client
