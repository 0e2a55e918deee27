import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_and_docs_are_served_without_a_cdn(client, users):
    client.force_login(users.agent)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    body = schema.content.decode()
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/users/me/",
        "/api/v1/customers/",
        "/api/v1/equipment/",
    ]:
        assert path in body
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower()
    # Under the pages' Content-Security-Policy: no inline script, its setup is a file.
    assert "<script>" not in docs and "?script" in docs
