"""Playwright driving Debian's chromium against the live test server."""

from __future__ import annotations

import os

import pytest

from tests import factories

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The flags this machine's closed network needs (see the env notes in README).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the test's own
# database calls are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


HERE = os.path.dirname(__file__)


def pytest_collection_modifyitems(items):
    # The hook sees every collected test, not only this folder's.
    for item in items:
        if str(item.path).startswith(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing and REQUIRE_BROWSER=1: install Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser, live_server):
    """open_page(user=None, width=1280) -> a logged-in page on the live server."""
    contexts = []
    refused = []  # what the Content-Security-Policy blocked: a page that relies on it is broken

    def make(user=None, width=1280, height=900):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="en-US",
            base_url=live_server.url,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        if user is not None:
            page.goto("/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", factories.PASSWORD)
            page.click("button[type=submit]")
            # Staff land on the home, customers on the portal.
            page.wait_for_url(
                lambda url: url in (f"{live_server.url}/", f"{live_server.url}/portal/")
            )
        return page

    make.refused = refused  # type: ignore[attr-defined]
    yield make
    for context in contexts:
        context.close()
    assert refused == [], refused
