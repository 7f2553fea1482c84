"""Fixtures shared by the page and browser tests."""

from __future__ import annotations

import pytest

from tests.e2e.pages import CHROMIUM, post, text
from tests.factories import PASSWORD


@pytest.fixture
def browser(app):
    """A new test-client "browser" (its own cookies), signed in as ``username`` when given."""

    def open_browser(username: str | None = None, language: str = "en"):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        if username:
            response = post(client, "/login", {"login": username, "password": PASSWORD})
            assert response.status_code == 302, text(response)
        return client

    return open_browser


@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the Python playwright package")
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()
