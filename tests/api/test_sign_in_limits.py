"""One limit on failed sign-ins and one on registrations, whichever door is used.

Failed sign-ins count per client address and per account, across
``POST /api/v1/tokens`` and the HTML ``/login`` form together; registrations
count per client address across ``POST /api/v1/users`` and ``/register``.
Every 429 says when to come back (``Retry-After``), and the counts live in
Flask-Limiter's storage, so that server processes sharing a Redis share them.
"""

from __future__ import annotations

import socket
import uuid

import pytest

from tests.e2e.pages import post, text
from tests.factories import PASSWORD, Api

WRONG = "not-the-password"


@pytest.fixture
def limited(make_app):
    """An app allowing 3 failed sign-ins a minute and 2 registrations an hour; returns its Api."""

    def build(**settings):
        return Api(make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                            REGISTER_RATE_LIMIT="2 per hour", **settings))

    return build


def from_address(api: Api, address: str):
    client = api.app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def token_attempt(client, login: str, password: str = WRONG):
    return client.post("/api/v1/tokens", json={"login": login, "password": password})


def form_attempt(client, login: str, password: str = WRONG):
    return post(client, "/login", {"login": login, "password": password})


def assert_rate_limited_api(response):
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert 0 < int(response.headers["Retry-After"]) <= 60


def assert_rate_limited_page(response):
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "Too many attempts. Try again in 1 minute." in text(response)


def test_failures_through_the_api_close_the_html_form_too(limited):
    api = limited()
    api.user("anna")
    client = from_address(api, "10.0.0.1")
    assert [token_attempt(client, "anna").status_code for _ in range(3)] == [401] * 3
    assert_rate_limited_page(form_attempt(client, "anna", PASSWORD))
    assert_rate_limited_api(token_attempt(client, "anna", PASSWORD))


def test_failures_through_the_html_form_close_the_api_too(limited):
    api = limited()
    api.user("anna")
    client = from_address(api, "10.0.0.1")
    assert [form_attempt(client, "anna").status_code for _ in range(3)] == [401] * 3
    assert_rate_limited_api(token_attempt(client, "anna", PASSWORD))


def test_one_account_is_limited_whatever_address_and_door_the_attempts_come_from(limited):
    api = limited()
    api.user("anna")
    token_attempt(from_address(api, "10.0.0.1"), "anna")
    form_attempt(from_address(api, "10.0.0.2"), "ANNA")
    token_attempt(from_address(api, "10.0.0.3"), "anna@example.org")  # the same account by its email
    assert_rate_limited_api(token_attempt(from_address(api, "10.0.0.4"), "anna", PASSWORD))
    assert_rate_limited_page(form_attempt(from_address(api, "10.0.0.5"), "anna@example.org", PASSWORD))


def test_one_address_is_limited_whatever_accounts_it_tries(limited):
    api = limited()
    api.user("anna")
    client = from_address(api, "10.0.0.9")
    for login in ("bram", "nobody"):
        assert token_attempt(client, login).status_code == 401
    assert form_attempt(client, "carla").status_code == 401
    assert_rate_limited_page(form_attempt(client, "anna", PASSWORD))
    assert token_attempt(from_address(api, "10.0.0.10"), "anna", PASSWORD).status_code == 201  # others still can


def test_an_unknown_login_is_limited_like_a_real_account(limited):
    """Or the limit itself would tell which accounts exist."""
    api = limited()
    for n in range(3):
        assert token_attempt(from_address(api, f"10.0.1.{n}"), "nobody").status_code == 401
    assert_rate_limited_api(token_attempt(from_address(api, "10.0.1.9"), "nobody"))


def test_registrations_from_one_address_count_across_both_doors(limited):
    api = limited()
    client = from_address(api, "10.0.2.1")
    assert client.post("/api/v1/users", json={"username": "anna", "email": "anna@example.org",
                                              "password": PASSWORD}).status_code == 201
    assert post(client, "/register", {"username": "bram", "email": "bram@example.org",
                                      "password": PASSWORD}).status_code == 302
    refused_page = post(client, "/register", {"username": "carla", "email": "carla@example.org",
                                              "password": PASSWORD})
    assert refused_page.status_code == 429 and 0 < int(refused_page.headers["Retry-After"])
    assert "Too many attempts. Try again in" in text(refused_page)
    refused_api = from_address(api, "10.0.2.1").post("/api/v1/users", json={
        "username": "dirk", "email": "dirk@example.org", "password": PASSWORD})
    assert refused_api.status_code == 429 and refused_api.get_json()["error"]["code"] == "rate_limited"
    assert int(refused_api.headers["Retry-After"]) > 0
    assert from_address(api, "10.0.2.2").post("/api/v1/users", json={
        "username": "dirk", "email": "dirk@example.org", "password": PASSWORD}).status_code == 201


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="needs a Redis server on 127.0.0.1:6379 to share limits")
def test_server_processes_sharing_a_redis_share_the_counts(limited):
    """Two apps stand for two server processes: failures counted by one close the other."""
    shared = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
              "RATELIMIT_KEY_PREFIX": f"leerplein-test-{uuid.uuid4().hex}"}
    first, second = limited(**shared), limited(**shared)
    first.user("anna")
    for _ in range(3):
        assert token_attempt(from_address(first, "10.0.3.1"), "nobody").status_code == 401
    assert_rate_limited_page(form_attempt(from_address(second, "10.0.3.1"), "someone"))
