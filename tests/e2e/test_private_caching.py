"""What a cache may keep: nothing personal, and no page carrying a session's CSRF token.

One rule (``community/web/security.py``): a response to a signed-in request,
by cookie or Bearer token, or one that embeds this session's CSRF token, is
``Cache-Control: private, no-store`` unless it chose its own caching.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import text

PRIVATE = "private, no-store"


@pytest.fixture
def world(api):
    anna = api.user("anna")
    api.community(anna, "Geheim overleg", visibility="private", join_policy="invite")
    return anna


@pytest.mark.parametrize("path", ["/", "/settings", "/notifications", "/u/anna", "/c/geheim-overleg",
                                  "/c/geheim-overleg/members", "/nothing-here"])
def test_every_signed_in_page_is_private_and_not_stored(browser, world, path):
    response = browser("anna").get(path)
    assert response.headers.get("Cache-Control") == PRIVATE, (path, response.status_code)


@pytest.mark.parametrize("path", ["/users/me", "/notifications", "/communities/geheim-overleg",
                                  "/communities?mine=1", "/users/anna"])
def test_every_api_answer_to_a_bearer_token_is_private_and_not_stored(api, world, path):
    response = api.get(path, world)
    assert response.status_code == 200, path
    assert response.headers.get("Cache-Control") == PRIVATE, path


def test_api_answers_to_a_cookie_session_are_private_too(browser, world):
    response = browser("anna").get("/api/v1/users/me")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") == PRIVATE


@pytest.mark.parametrize("path", ["/login", "/register", "/"])
def test_anonymous_pages_with_a_csrf_token_stay_out_of_shared_caches(browser, path):
    response = browser().get(path)
    assert 'name="csrf-token"' in text(response)
    assert response.headers.get("Cache-Control") == PRIVATE, path


def test_what_is_the_same_for_everyone_is_left_alone(api):
    assert "Cache-Control" not in api.client.get("/healthz").headers
    assert "Cache-Control" not in api.get("/openapi.json").headers


def test_versioned_static_files_keep_their_own_caching_when_signed_in(browser, world):
    client = browser("anna")
    stylesheet = re.search(r'href="(/static/css/site\.css\?v=[^"]+)"', text(client.get("/"))).group(1)
    cache_control = client.get(stylesheet).headers["Cache-Control"]
    assert "immutable" in cache_control and "no-store" not in cache_control and "private" not in cache_control
