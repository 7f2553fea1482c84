"""Chat over HTTP as the contract states it (API.md, Live chat): reading, sending, deleting, driven as a black box.

The Socket.IO side runs against a real server in ``tests/e2e/test_chat_server.py``.
"""

from __future__ import annotations

import time

import pytest


@pytest.fixture
def c(api):
    """A public community with an owner, a moderator and two members; and an outsider."""
    return api.team("Magazijn", ("anna", "bert"))


def messages(community) -> str:
    return f"/communities/{community['slug']}/messages"


def send(api, user, community, body, **extra):
    return api.post(messages(community), user, json={"body": body, **extra})


def code(response) -> str:
    return response.get_json()["error"]["code"]


def test_a_member_sends_and_everyone_who_may_read_reads_it(api, c):
    sent = send(api, "anna", c, "Wie heeft er **sleutels**?")
    assert sent.status_code == 201
    message = sent.get_json()
    assert message["body_html"] == "<p>Wie heeft er <strong>sleutels</strong>?</p>"
    assert message["community"] == c["slug"] and message["author"]["username"] == "anna"
    assert message["url"] == f"/c/{c['slug']}/chat?at={message['id']}#message-{message['id']}"
    for reader in ("bert", "outsider"):  # a public community's chat is readable like its threads
        listed = api.get(messages(c), reader)
        assert listed.status_code == 200 and [m["id"] for m in listed.get_json()["items"]] == [message["id"]]
    assert code(send(api, "outsider", c, "Mag ik ook?")) == "forbidden"


def test_pages_read_back_to_older_messages_and_on_to_newer_ones(api, c):
    ids = [send(api, "anna" if n % 2 else "bert", c, f"Bericht {n}").get_json()["id"] for n in range(7)]
    latest = api.get(messages(c) + "?limit=3", "anna").get_json()
    assert [m["id"] for m in latest["items"]] == ids[-3:]
    older = api.get(messages(c) + f"?limit=3&cursor={latest['next']}", "anna").get_json()
    assert [m["id"] for m in older["items"]] == ids[1:4]
    oldest = api.get(messages(c) + f"?limit=3&cursor={older['next']}", "anna").get_json()
    assert [m["id"] for m in oldest["items"]] == ids[:1] and oldest["next"] is None

    newer = api.get(messages(c) + f"?after={ids[1]}&limit=2", "anna").get_json()
    assert [m["id"] for m in newer["items"]] == ids[2:4]
    rest = api.get(messages(c) + f"?limit=10&cursor={newer['next']}", "anna").get_json()
    assert [m["id"] for m in rest["items"]] == ids[4:] and rest["next"] is None
    between = api.get(messages(c) + f"?after={ids[0]}&before={ids[3]}", "anna").get_json()
    assert [m["id"] for m in between["items"]] == ids[1:3]


@pytest.mark.parametrize("query", ["?before=x", "?after=-1", "?before=0", "?after=99999999999999999999",
                                   "?cursor=nonsense", "?cursor=eyJ4IjogMX0", "?limit=0", "?limit=abc"])
def test_bad_bounds_are_a_clear_error(api, c, query):
    response = api.get(messages(c) + query, "anna")
    assert response.status_code in (400, 422), response.get_json()
    assert code(response) in ("bad_request", "invalid")


def test_a_private_community_s_chat_is_not_confirmed_to_outsiders(api):
    api.user("owner")
    api.user("outsider")
    private = api.community("owner", "Besloten", visibility="private")
    message = send(api, "owner", private, "Alleen voor leden").get_json()
    assert api.get(messages(private), "outsider").status_code == 404
    assert code(send(api, "outsider", private, "Hallo")) == "not_found"
    assert api.delete(f"/messages/{message['id']}", "outsider").status_code == 404
    assert api.get(messages(private)).status_code == 401
    assert api.get("/communities/bestaat-niet/messages", "outsider").status_code == 404


def test_length_limits_count_visible_characters(api, c, app):
    assert send(api, "anna", c, "x" * app.config["CHAT_MAX"]).status_code == 201
    too_long = send(api, "anna", c, "x" * (app.config["CHAT_MAX"] + 1))
    assert too_long.status_code == 422 and "body" in too_long.get_json()["error"]["fields"]
    assert send(api, "anna", c, "\u200b \u200b").status_code == 422
    assert send(api, "anna", c, 12).status_code == 400
    assert api.post(messages(c), "anna", json=["body"]).status_code == 400


def test_the_same_client_id_returns_the_stored_message(api, c):
    first = send(api, "anna", c, "Eén keer", client_id="k-1")
    again = send(api, "anna", c, "Eén keer", client_id="k-1")
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    assert send(api, "bert", c, "Mijn eigen", client_id="k-1").status_code == 201  # a key is never shared
    other = api.community("anna", "Kassa")
    assert send(api, "anna", other, "Elders", client_id="k-1").status_code == 422
    assert len(api.get(messages(c), "anna").get_json()["items"]) == 2


def test_authors_and_moderators_delete_others_may_not(api, c):
    mine = send(api, "anna", c, "Oeps").get_json()
    theirs = send(api, "bert", c, "Van Bert").get_json()
    assert code(api.delete(f"/messages/{theirs['id']}", "anna")) == "forbidden"
    assert api.delete(f"/messages/{mine['id']}", "anna").status_code == 204
    assert api.delete(f"/messages/{theirs['id']}", "mod").status_code == 204
    assert api.get(messages(c), "anna").get_json()["items"] == []
    assert api.delete(f"/messages/{theirs['id']}", "mod").status_code == 404


def test_muted_and_banned_members(api, c):
    api.patch(f"/communities/{c['slug']}/members/anna", "owner", json={"muted_until": "2999-01-01T00:00:00Z"})
    assert code(send(api, "anna", c, "Hallo?")) == "muted"
    assert api.get(messages(c), "anna").status_code == 200  # a muted member reads
    api.patch(f"/communities/{c['slug']}/members/bert", "owner", json={"state": "banned"})
    assert code(api.get(messages(c), "bert")) == "banned"
    assert code(send(api, "bert", c, "Hallo?")) == "banned"


def _found(api, user, query, total, seconds=10.0) -> dict:
    """The search result once it has ``total`` hits: new chat messages are indexed in batches."""
    deadline = time.monotonic() + seconds
    while True:
        hits = api.get(f"/search?{query}", user).get_json()
        if hits["total"] == total or time.monotonic() > deadline:
            return hits
        time.sleep(0.05)


def test_chat_messages_are_found_by_search_with_the_same_access(api, c, app):
    assert app.config["SEARCH_BATCH_SECONDS"] <= 2
    send(api, "anna", c, "De heftruck staat bij dock vier")
    hits = _found(api, "bert", "q=heftruck&type=chat", 1)
    assert [h["type"] for h in hits["items"]] == ["chat"] and hits["total"] == 1
    api.user("eve")
    private = api.community("owner", "Geheim", visibility="private")
    send(api, "owner", private, "De heftruck is stuk")
    assert _found(api, "owner", "q=heftruck&type=chat", 2)["total"] == 2
    assert api.get("/search?q=heftruck&type=chat", "eve").get_json()["total"] == 1  # the public one only
    message_id = hits["items"][0]["id"]
    api.delete(f"/messages/{message_id}", "anna")
    assert api.get("/search?q=heftruck&type=chat", "bert").get_json()["total"] == 0
