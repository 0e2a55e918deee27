"""404, 403, 500 and an expired form show the site's own page, in Chinese, with a way
home: never Django's bare English."""

import pytest
from django.test import Client, RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def _page(response):
    return response.content.decode()


def test_a_missing_page_says_so_in_chinese_with_the_sites_look(page, users):
    response = page(users.agent).get("/no-such-page/")
    assert response.status_code == 404
    text = _page(response)
    assert "页面不存在" in text and 'id="error-page"' in text
    assert "navbar" in text and "返回首页" in text  # the site's frame and a way home
    assert "Not Found" not in text and "The requested resource" not in text


def test_a_step_outside_ones_role_is_refused_in_chinese(page, users):
    response = page(users.finance).get("/dispatch/")
    assert response.status_code == 403
    text = _page(response)
    assert "无权操作" in text and "403 Forbidden" not in text


def test_a_server_error_page_in_chinese_needs_no_database_nor_context(rf: RequestFactory):
    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    text = _page(response)
    assert "系统出错了" in text and "Server Error" not in text


def test_an_expired_form_says_what_to_do(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.agent)
    response = client.post("/service-requests/new/", {"caller_name": "x"})
    assert response.status_code == 403
    text = _page(response)
    assert "页面已过期" in text and "CSRF" not in text


def test_an_api_path_no_route_matches_answers_json(api, users):
    """The API answers JSON even where no route matches (a fuzzer's /customers/abc/)."""
    for url in ("/api/v1/customers/abc/", "/api/v1/no-such-thing/"):
        answer = api(users.agent).get(url)
        assert answer.status_code == 404 and answer["Content-Type"] == "application/json"
        assert answer.json()["detail"]
