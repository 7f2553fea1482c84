"""Retries are safe (API.md, Conventions): the same Idempotency-Key from the same user writes once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from community import idempotency
from community.api import PREFIX
from tests.factories import PASSWORD


@pytest.fixture
def c(api):
    for name in ("owner", "member", "other"):
        api.user(name)
    community = api.community("owner", "Magazijn Zwolle")
    api.member(community, "member", "owner")
    api.member(community, "other", "owner")
    return community


def key(value: str) -> dict:
    return {"headers": {"Idempotency-Key": value}}


def count(app, model) -> int:
    with app.app_context():
        from community.extensions import db
        return db.session.scalar(select(func.count()).select_from(model))


def posts(app) -> int:
    from community.discussions.models import Post
    return count(app, Post)


def keys_table(app, **changes) -> None:
    """Change every stored key, as time or a crash would have."""
    with app.app_context():
        from community.extensions import db
        db.session.execute(update(idempotency.IdempotencyKey).values(**changes))
        db.session.commit()


def new_thread(api, c, user="member", k="draft-1", **body):
    return api.post(f"/communities/{c['slug']}/threads", user,
                    json={"title": "Pallets stapelen", "body": "Hoe hoog mag het?", **body}, **key(k))


# --- the same key again -----------------------------------------------------------------------

def test_retry_with_the_same_key_returns_the_first_answer_and_writes_once(app, api, c):
    first = new_thread(api, c)
    again = new_thread(api, c)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert posts(app) == 1


@pytest.mark.parametrize("route", ["communities", "threads", "posts", "invites", "users"])
def test_every_creating_route_of_today_honours_the_key(app, api, c, route):
    thread = new_thread(api, c, k="thread").get_json()
    calls = {
        "communities": ("/communities", "member", {"name": "Kassa Noord", "kind": "practice",
                                                   "visibility": "public", "join_policy": "open"}),
        "threads": (f"/communities/{c['slug']}/threads", "member", {"title": "Tweede", "body": "Vraag"}),
        "posts": (f"/threads/{thread['id']}/posts", "member", {"body": "Tot twee hoog."}),
        "invites": (f"/communities/{c['slug']}/invites", "owner", {"max_uses": 3}),
        "users": ("/users", None, {"username": "nieuw", "email": "nieuw@example.org", "password": PASSWORD}),
    }
    path, user, body = calls[route]
    answers = [api.post(path, user, json=body, **key("same-key-twice")) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[1].get_json() == answers[0].get_json()
    assert answers[1].headers.get("Idempotent-Replayed") == "true"


def test_a_key_is_never_shared_between_users(app, api, c):
    mine = new_thread(api, c, "member", k="shared")
    theirs = new_thread(api, c, "other", k="shared")
    assert mine.status_code == theirs.status_code == 201
    assert mine.get_json()["id"] != theirs.get_json()["id"]
    assert theirs.get_json()["author"]["username"] == "other"
    assert posts(app) == 2


def test_without_a_key_every_request_writes(app, api, c):
    for _ in range(2):
        assert api.post(f"/communities/{c['slug']}/threads", "member",
                        json={"title": "Zonder sleutel", "body": "Twee keer"}).status_code == 201
    assert posts(app) == 2


def test_account_creation_replays_only_the_identical_request(app, api):
    body = {"username": "sanne", "email": "sanne@example.org", "password": PASSWORD}
    first = api.post("/users", json=body, **key("signup"))
    again = api.post("/users", json=body, **key("signup"))
    other = api.post("/users", json={**body, "username": "sanne2", "email": "sanne2@example.org"}, **key("signup"))
    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 201)
    assert again.get_json() == first.get_json() and other.get_json()["username"] == "sanne2"


def test_tokens_ignore_the_key_so_no_token_secret_is_ever_stored(app, api):
    api.user("anna")
    body = {"login": "anna", "password": PASSWORD}
    tokens = {api.post("/tokens", json=body, **key("login")).get_json()["token"] for _ in range(2)}
    assert len(tokens) == 2
    assert count(app, idempotency.IdempotencyKey) == 0


# --- a key with another request, a bad key, an old key ------------------------------------------

def test_same_key_with_another_body_is_refused_and_writes_nothing(app, api, c):
    new_thread(api, c, k="k1")
    other = new_thread(api, c, k="k1", title="Iets anders")
    assert other.status_code == 422
    assert other.get_json()["error"]["code"] == "invalid"
    assert "Idempotency-Key" in other.get_json()["error"]["fields"]
    assert posts(app) == 1


def test_same_key_on_another_path_is_refused(app, api, c):
    thread = new_thread(api, c, k="k1").get_json()
    other = api.post(f"/threads/{thread['id']}/posts", "member", json={"body": "Hoi"}, **key("k1"))
    assert other.status_code == 422 and posts(app) == 1


@pytest.mark.parametrize("bad", ["", " ", "x" * 101, "tab\there", "nul\x00", "bell\x07", "é-accent"])
def test_a_malformed_key_is_a_bad_request(app, api, c, bad):
    response = api.post(f"/communities/{c['slug']}/threads", "member",
                        json={"title": "Pallets", "body": "Hoog"}, headers={"Idempotency-Key": bad})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert posts(app) == 0


def test_a_key_of_100_printable_characters_is_fine(app, api, c):
    assert new_thread(api, c, k="~" + "a" * 98 + " ").status_code == 201  # trailing space: header whitespace


def test_keys_expire_after_24_hours(app, api, c):
    new_thread(api, c, k="old")
    keys_table(app, created_at=idempotency.utcnow() - timedelta(hours=24, minutes=1))
    again = new_thread(api, c, k="old")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert posts(app) == 2


def test_a_refused_request_gives_its_key_back_for_the_corrected_one(app, api, c):
    refused = new_thread(api, c, k="fix-me", title="")
    assert refused.status_code == 422
    fixed = new_thread(api, c, k="fix-me", title="Nu met titel")
    assert fixed.status_code == 201 and fixed.get_json()["title"] == "Nu met titel"
    assert posts(app) == 1


# --- races and crashes -----------------------------------------------------------------------------

def test_racing_retries_with_one_key_write_once_and_all_get_the_first_answer(app, api, c):
    thread = new_thread(api, c, k="thread").get_json()
    token = api.tokens["member"]
    start = threading.Barrier(8)
    answers = []

    def send():
        client = app.test_client()
        start.wait()
        answers.append(client.post(f"{PREFIX}/threads/{thread['id']}/posts", json={"body": "Eén keer"},
                                   headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "race"}))

    workers = [threading.Thread(target=send) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(a.status_code for a in answers) == [201] * 8
    assert len({a.get_json()["id"] for a in answers}) == 1
    assert posts(app) == 2  # the thread's first post and one reply
    assert api.get(f"/threads/{thread['id']}", "member").get_json()["reply_count"] == 1


def test_a_retry_while_the_first_is_still_running_gets_409_in_progress(app, api, c, monkeypatch):
    monkeypatch.setattr(idempotency, "_finish", lambda claim, response: None)  # the answer never gets stored
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.2)
    assert new_thread(api, c, k="slow").status_code == 201
    again = new_thread(api, c, k="slow")
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "conflict" and again.headers["Retry-After"] == "1"
    assert posts(app) == 1


def test_a_crash_after_the_write_never_lets_a_retry_write_again(app, api, c, monkeypatch):
    monkeypatch.setattr(idempotency, "_finish", lambda claim, response: None)  # died before storing the answer
    assert new_thread(api, c, k="crash").status_code == 201
    monkeypatch.undo()
    keys_table(app, claimed_at=idempotency.utcnow() - idempotency.LEASE - timedelta(seconds=1))
    again = new_thread(api, c, k="crash")
    assert again.status_code == 409 and "lost" in again.get_json()["error"]["message"]
    assert posts(app) == 1


def test_a_crash_before_the_write_lets_a_retry_carry_it_out_once_the_lease_is_over(app, api, c):
    with app.app_context():  # a claim whose request died before its write committed
        from community.extensions import db
        fingerprint_source = api.post(f"/communities/{c['slug']}/threads", "member",
                                      json={"title": "Pallets stapelen", "body": "Hoe hoog mag het?"},
                                      headers={"Idempotency-Key": "probe"})
        assert fingerprint_source.status_code == 201
        db.session.execute(update(idempotency.IdempotencyKey).values(
            key="died", written=False, status=None, body=None,
            claimed_at=idempotency.utcnow() - idempotency.LEASE - timedelta(seconds=1)))
        db.session.commit()
    retry = new_thread(api, c, k="died")
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    assert posts(app) == 2  # the probe's thread and the retry's


def test_the_write_and_its_written_mark_commit_together(app, api, c, monkeypatch):
    """A request whose claim was taken over meanwhile must not commit its write."""
    from community.discussions import service

    real = service.start_thread

    def overtaken(*args, **kwargs):
        from community.extensions import db
        db.session.commit()  # (SQLite: our reads end before the other connection writes)
        keys_table(app, claim="someone-else")  # a retry took the key over while we were working
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "start_thread", overtaken)
    response = new_thread(api, c, k="overtaken")
    assert response.status_code == 409
    assert posts(app) == 0


# --- described in the OpenAPI document ------------------------------------------------------------

NOT_CREATING = {
    "/tokens": "a replay would store the token's secret: a retry gets a new token",
    "/communities/<slug>/join": "joining again is a no-op",
    "/communities/<slug>/leave": "leaving again is a no-op",
    "/threads/<int:thread_id>/follow": "following again is a no-op",
    "/posts/<int:post_id>/reactions": "a reaction is added once per user and emoji",
    "/preview": "writes nothing",
    "/notifications/read": "marking read again is a no-op",
    "/questions/<int:question_id>/accept": "accepting the same answer again changes nothing",
    "/questions/<int:question_id>/vote": "a vote sets the caller's one vote to a value: again is the same",
    "/answers/<int:answer_id>/vote": "a vote sets the caller's one vote to a value: again is the same",
    "/flags/<int:flag_id>/resolve": "resolving sets the flag's state: the same action again changes nothing",
}


def test_every_creating_api_post_is_idempotent(app):
    """A new capability's creating POST must wear @idempotent (or say here why it creates nothing)."""
    unguarded = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/") or "POST" not in rule.methods:
            continue
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "idempotent", False) and rule.rule[len(PREFIX):] not in NOT_CREATING:
            unguarded.append(rule.rule)
    assert unguarded == []


def test_openapi_describes_the_header_on_every_idempotent_operation(client):
    spec = client.get(PREFIX + "/openapi.json").get_json()
    header = {"$ref": "#/components/parameters/IdempotencyKey"}
    for path in ("/communities", "/communities/{slug}/threads", "/threads/{thread_id}/posts",
                 "/communities/{slug}/invites", "/users"):
        operation = spec["paths"][path]["post"]
        assert header in operation["parameters"], path
        assert {"409", "422"} <= set(operation["responses"]), path
    assert header not in spec["paths"]["/tokens"]["post"].get("parameters", [])
    assert spec["components"]["parameters"]["IdempotencyKey"]["in"] == "header"
