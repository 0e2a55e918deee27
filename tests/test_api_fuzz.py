"""schemathesis generates requests from /api/schema/ and sends them over HTTP
to the live server as a logged-in manager: no response may be a 5xx, and every
documented response must match the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.fuzz
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,  # every answer's status is documented (400, 404, 409, …)
    response_headers_conformance,
]


def _served_schema() -> dict:
    """The schema exactly as /api/schema/ serves it (checked below)."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def auth_headers(users):
    token, _ = Token.objects.get_or_create(user=users.manager)
    return {"Authorization": f"Token {token.key}"}


# Loaded at collection (schemathesis' lazy fixture loader does not work with
# this pytest); the requests still go over HTTP to the live server.
schema = schemathesis.openapi.from_dict(_served_schema())


def test_the_fuzzed_schema_is_the_one_the_server_serves(client, users):
    import yaml

    client.force_login(users.manager)
    served = yaml.safe_load(client.get("/api/schema/").content)
    assert served["paths"].keys() == _served_schema()["paths"].keys()
    assert len(served["paths"]) >= 8


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_matches_its_schema(
    case, auth_headers, live_server, company_a, company_b
):
    case.call_and_validate(base_url=live_server.url, headers=auth_headers, checks=CHECKS)
