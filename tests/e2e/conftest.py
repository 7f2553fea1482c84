"""Fixtures shared by the page and browser tests."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import start_server, stop_server
from tests.e2e.pages import CHROMIUM, post, text
from tests.factories import PASSWORD
from tests.postgres import throwaway_database


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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_env(request):
    """Environment for the server processes: the instance's SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield {}
    else:
        with throwaway_database() as url:
            yield {"COMMUNITY_DATABASE_URL": url}


@pytest.fixture
def start_processes(tmp_path, database_env):
    """Start ``n`` server processes at the same moment on one instance folder and database."""
    started = []

    def start(n: int) -> list[tuple[object, str]]:
        instance = tmp_path / "instance"
        instance.mkdir(exist_ok=True)
        with ThreadPoolExecutor(max_workers=n) as pool:
            servers = list(pool.map(lambda _: start_server(instance, database_env), range(n)))
        started.extend(servers)
        return servers

    yield start
    for process, _base in started:
        if process.poll() is None:
            stop_server(process)


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False
