"""The real server process, started as outside suites start it, driven over HTTP."""

from __future__ import annotations

import re

import pytest
import requests

from tests.factories import PASSWORD, http_user

pytestmark = pytest.mark.e2e


def _browser_session(base: str, username: str) -> tuple[requests.Session, str]:
    """Sign in through the HTML form as a browser would; return the session and its CSRF token."""
    session = requests.Session()
    page = session.get(f"{base}/login", timeout=10).text
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    response = session.post(f"{base}/login", data={"login": username, "password": PASSWORD, "csrf_token": csrf},
                            timeout=10)
    assert response.status_code == 200 and "/login" not in response.url
    home = session.get(f"{base}/", timeout=10).text
    return session, re.search(r'<meta name="csrf-token" content="([^"]+)"', home).group(1)


def test_health_over_http(live_server):
    response = requests.get(f"{live_server}/healthz", timeout=10)
    assert response.json() == {"status": "ok", "database": "ok", "search": "ok"}


def test_register_create_join_over_http(live_server):
    owner = http_user(live_server, "eigenaar")
    member = http_user(live_server, "deelnemer")
    created = requests.post(f"{live_server}/api/v1/communities", headers=owner,
                            json={"name": "Magazijn Zwolle", "kind": "practice", "visibility": "public",
                                  "join_policy": "open"}, timeout=10)
    assert created.status_code == 201
    joined = requests.post(f"{live_server}/api/v1/communities/magazijn-zwolle/join",
                           headers=member, timeout=10)
    assert joined.json()["state"] == "active"
    listed = requests.get(f"{live_server}/api/v1/communities?mine=1",
                          headers=member, timeout=10).json()
    assert [c["slug"] for c in listed["items"]] == ["magazijn-zwolle"]


def test_cookie_writes_need_the_csrf_header(live_server):
    http_user(live_server, "koekje")
    session, csrf = _browser_session(live_server, "koekje")
    body = {"name": "Kassa Deventer", "kind": "practice", "visibility": "public", "join_policy": "open"}
    refused = session.post(f"{live_server}/api/v1/communities", json=body, timeout=10)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "csrf_failed"
    accepted = session.post(f"{live_server}/api/v1/communities", json=body, headers={"X-CSRFToken": csrf},
                            timeout=10)
    assert accepted.status_code == 201
    assert session.get(f"{live_server}/api/v1/users/me", timeout=10).json()["username"] == "koekje"


def test_session_cookie_and_security_headers(live_server):
    http_user(live_server, "veilig")
    session = requests.Session()
    page = session.get(f"{live_server}/login", timeout=10)
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)
    response = session.post(f"{live_server}/login", data={"login": "veilig", "password": PASSWORD,
                                                         "csrf_token": csrf}, allow_redirects=False, timeout=10)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    headers = page.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]


def test_unknown_api_route_and_method_use_the_error_shape(live_server):
    auth = http_user(live_server, "fouten")
    missing = requests.get(f"{live_server}/api/v1/nothing-here", headers=auth, timeout=10)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = requests.put(f"{live_server}/api/v1/users/me", headers=auth, json={}, timeout=10)
    assert wrong.status_code == 405 and "error" in wrong.json()
