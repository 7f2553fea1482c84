"""Threaded discussions, as the contract states them (API.md, Discussions)."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from tests.factories import PASSWORD


@pytest.fixture
def c(api):
    """A public community with an owner, a moderator, a member and an outsider."""
    for name in ("owner", "mod", "member", "outsider"):
        api.user(name)
    community = api.community("owner", "Heftruck")
    api.member(community, "mod", "owner", role="moderator")
    api.member(community, "member", "owner")
    return community


def start(api, user, community, **fields):
    body = {"title": "Veilig heffen", "body": "Hoe *tillen* jullie pallets?", **fields}
    response = api.post(f"/communities/{community['slug']}/threads", user, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def reply(api, user, thread, body="Met beleid.", parent=None):
    data = {"body": body} if parent is None else {"body": body, "parent_id": parent}
    response = api.post(f"/threads/{thread['id']}/posts", user, json=data)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def thread_of(api, user, thread):
    response = api.get(f"/threads/{thread['id']}", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def error_code(response):
    return response.get_json()["error"]["code"]


# --- starting threads ------------------------------------------------------------------------

def test_member_starts_thread_with_first_post_and_follows_it(api, c):
    thread = start(api, "member", c, tags=["Veiligheid", "heftruck", "veiligheid"])
    assert thread["title"] == "Veilig heffen"
    assert thread["tags"] == ["veiligheid", "heftruck"]
    assert thread["author"]["username"] == "member"
    assert (thread["pinned"], thread["locked"], thread["reply_count"], thread["following"]) == (False, False, 0, True)
    assert thread["community"] == c["slug"]
    [first] = thread["posts"]
    assert (first["parent_id"], first["depth"], first["deleted"]) == (None, 0, False)
    assert first["body"] == "Hoe *tillen* jullie pallets?"
    assert first["body_html"] == "<p>Hoe <em>tillen</em> jullie pallets?</p>"
    assert first["reactions"] == {} and first["my_reactions"] == []
    assert first["url"] == f"/threads/{thread['id']}#post-{first['id']}"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", thread["created_at"])


@pytest.mark.parametrize(("fields", "failing"), [
    ({"title": "ab"}, {"title"}),
    ({"title": "x" * 201}, {"title"}),
    ({"body": ""}, {"body"}),
    ({"body": "   \n "}, {"body"}),
    ({"body": "x" * 20001}, {"body"}),
    ({"tags": ["goed", "Niet goed"]}, {"tags"}),
    ({"tags": ["x" * 31]}, {"tags"}),
    ({"tags": ["a", "b", "c", "d", "e", "f"]}, {"tags"}),
    ({"title": "", "body": "", "tags": [""]}, {"title", "body", "tags"}),
])
def test_start_thread_validates_title_body_and_tags(api, c, fields, failing):
    body = {"title": "Veilig heffen", "body": "Tekst", **fields}
    response = api.post(f"/communities/{c['slug']}/threads", "member", json=body)
    assert response.status_code == 422
    assert error_code(response) == "invalid"
    assert set(response.get_json()["error"]["fields"]) == failing


def test_wrong_types_are_a_bad_request(api, c):
    response = api.post(f"/communities/{c['slug']}/threads", "member",
                        json={"title": 5, "body": "x", "tags": "veiligheid"})
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {"title", "tags"}


def test_limits_follow_the_configuration(make_app):
    from tests.factories import Api

    api = Api(make_app(TITLE_MIN=10, BODY_MAX=20))
    api.user("anna")
    community = api.community("anna")
    response = api.post(f"/communities/{community['slug']}/threads", "anna",
                        json={"title": "Kort", "body": "x" * 21})
    assert set(response.get_json()["error"]["fields"]) == {"title", "body"}


# --- who may write -----------------------------------------------------------------------------

def test_outsider_of_public_community_reads_but_may_not_write(api, c):
    thread = start(api, "member", c)
    assert api.get(f"/threads/{thread['id']}", "outsider").status_code == 200
    response = api.post(f"/threads/{thread['id']}/posts", "outsider", json={"body": "Hallo"})
    assert (response.status_code, error_code(response)) == (403, "forbidden")
    response = api.post(f"/communities/{c['slug']}/threads", "outsider", json={"title": "Mag ik", "body": "x"})
    assert (response.status_code, error_code(response)) == (403, "forbidden")


def test_private_community_threads_are_not_found_for_outsiders(api, c):
    private = api.community("owner", "Geheim", visibility="private", join_policy="invite")
    thread = start(api, "owner", private)
    post_id = thread["posts"][0]["id"]
    for method, path, body in [
        ("GET", f"/threads/{thread['id']}", None),
        ("POST", f"/threads/{thread['id']}/posts", {"body": "hoi"}),
        ("PATCH", f"/threads/{thread['id']}", {"title": "Nieuwe titel"}),
        ("GET", f"/posts/{post_id}", None),
        ("PATCH", f"/posts/{post_id}", {"body": "weg"}),
        ("DELETE", f"/posts/{post_id}", None),
        ("POST", f"/posts/{post_id}/reactions", {"emoji": "👍"}),
        ("GET", f"/posts/{post_id}/revisions", None),
        ("POST", f"/threads/{thread['id']}/follow", None),
        ("GET", f"/communities/{private['slug']}/threads", None),
        ("POST", f"/communities/{private['slug']}/threads", {"title": "Binnen", "body": "x"}),
    ]:
        response = api.call(method, path, "outsider", json=body)
        assert (response.status_code, error_code(response)) == (404, "not_found"), (method, path)


def test_a_missing_thread_and_a_hidden_one_answer_alike(api, c):
    private = api.community("owner", "Geheim", visibility="private", join_policy="invite")
    hidden = start(api, "owner", private)
    assert api.get(f"/threads/{hidden['id']}", "outsider").get_json() == \
        api.get("/threads/999999", "outsider").get_json()


def test_pending_member_may_not_write(api, c):
    approval = api.community("owner", "Op aanvraag", join_policy="approval")
    thread = start(api, "owner", approval)
    assert api.post(f"/communities/{approval['slug']}/join", "outsider", json={}).get_json()["state"] == "pending"
    response = api.post(f"/threads/{thread['id']}/posts", "outsider", json={"body": "Hallo"})
    assert (response.status_code, error_code(response)) == (403, "forbidden")


def test_banned_member_gets_banned(api, c):
    thread = start(api, "member", c)
    api.patch(f"/communities/{c['slug']}/members/member", "owner", json={"state": "banned"})
    response = api.post(f"/threads/{thread['id']}/posts", "member", json={"body": "Toch"})
    assert (response.status_code, error_code(response)) == (403, "banned")
    response = api.post(f"/communities/{c['slug']}/threads", "member", json={"title": "Toch wel", "body": "x"})
    assert (response.status_code, error_code(response)) == (403, "banned")


def test_muted_member_reads_but_may_not_post_or_react(api, c):
    thread = start(api, "owner", c)
    until = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    api.patch(f"/communities/{c['slug']}/members/member", "owner", json={"muted_until": until})
    assert api.get(f"/threads/{thread['id']}", "member").status_code == 200
    response = api.post(f"/threads/{thread['id']}/posts", "member", json={"body": "Mag niet"})
    assert (response.status_code, error_code(response)) == (403, "muted")
    response = api.post(f"/posts/{thread['posts'][0]['id']}/reactions", "member", json={"emoji": "👍"})
    assert (response.status_code, error_code(response)) == (403, "muted")


def test_archived_community_is_read_only_except_for_moderators(api, c):
    thread = start(api, "member", c)
    api.patch(f"/communities/{c['slug']}", "owner", json={"archived": True})
    response = api.post(f"/threads/{thread['id']}/posts", "member", json={"body": "Nog iets"})
    assert (response.status_code, error_code(response)) == (403, "forbidden")
    assert api.post(f"/threads/{thread['id']}/posts", "mod", json={"body": "Afsluiting"}).status_code == 201


def test_no_token_is_unauthenticated(api, c):
    thread = start(api, "member", c)
    response = api.get(f"/threads/{thread['id']}")
    assert (response.status_code, error_code(response)) == (401, "unauthenticated")


# --- replies and tree order ------------------------------------------------------------------------

def test_replies_come_back_in_tree_order(api, c):
    thread = start(api, "owner", c)
    a = reply(api, "member", thread, "A")
    b = reply(api, "mod", thread, "B")
    a1 = reply(api, "owner", thread, "A1", parent=a["id"])
    b1 = reply(api, "member", thread, "B1", parent=b["id"])
    a2 = reply(api, "mod", thread, "A2", parent=a["id"])
    a1x = reply(api, "member", thread, "A1x", parent=a1["id"])
    posts = thread_of(api, "member", thread)["posts"]
    assert [p["body"] for p in posts] == ["Hoe *tillen* jullie pallets?", "A", "A1", "A1x", "A2", "B", "B1"]
    assert [p["depth"] for p in posts] == [0, 1, 2, 3, 2, 1, 2]
    first = posts[0]["id"]
    assert [p["parent_id"] for p in posts] == [None, first, a["id"], a1["id"], a["id"], first, b["id"]]
    assert a2["depth"] == 2 and a1x["depth"] == 3 and b1["parent_id"] == b["id"]


def test_reply_without_parent_answers_the_first_post_and_updates_the_thread(api, c):
    thread = start(api, "owner", c)
    post = reply(api, "member", thread)
    assert post["parent_id"] == thread["posts"][0]["id"] and post["depth"] == 1
    assert post["author"]["username"] == "member"
    again = thread_of(api, "member", thread)
    assert again["reply_count"] == 1
    assert again["last_activity_at"] >= thread["last_activity_at"]
    assert again["following"] is True  # replying follows the thread


def test_parent_must_be_a_post_of_the_same_thread(api, c):
    one, other = start(api, "owner", c), start(api, "owner", c, title="Ander onderwerp")
    response = api.post(f"/threads/{one['id']}/posts", "member",
                        json={"body": "Hier", "parent_id": other["posts"][0]["id"]})
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"parent_id"}


def test_very_deep_replies_stay_at_the_maximum_depth(api, c, monkeypatch):
    from community.discussions import service

    monkeypatch.setattr(service, "MAX_DEPTH", 3)
    thread = start(api, "owner", c)
    parent = None
    for _ in range(5):
        parent = reply(api, "member", thread, parent=parent and parent["id"])
    posts = thread_of(api, "member", thread)["posts"]
    assert [p["depth"] for p in posts] == [0, 1, 2, 3, 3, 3]


# --- locks, pins, titles and tags -------------------------------------------------------------------

def test_locked_thread_refuses_replies_except_from_moderators(api, c):
    thread = start(api, "member", c)
    assert api.patch(f"/threads/{thread['id']}", "mod", json={"locked": True}).get_json()["locked"] is True
    response = api.post(f"/threads/{thread['id']}/posts", "member", json={"body": "Nog één ding"})
    assert (response.status_code, error_code(response)) == (403, "locked")
    assert api.post(f"/threads/{thread['id']}/posts", "mod", json={"body": "Gesloten."}).status_code == 201
    # The author cannot edit in a locked thread either; a moderator can.
    first = thread["posts"][0]["id"]
    response = api.patch(f"/posts/{first}", "member", json={"body": "Anders"})
    assert (response.status_code, error_code(response)) == (403, "locked")
    assert api.patch(f"/posts/{first}", "mod", json={"body": "Anders"}).status_code == 200


def test_only_moderators_pin_and_lock(api, c):
    thread = start(api, "member", c)
    for flags in ({"pinned": True}, {"locked": True}):
        response = api.patch(f"/threads/{thread['id']}", "member", json=flags)
        assert (response.status_code, error_code(response)) == (403, "forbidden")
    assert api.patch(f"/threads/{thread['id']}", "owner", json={"pinned": True}).get_json()["pinned"] is True


def test_author_or_moderator_changes_title_and_tags(api, c):
    thread = start(api, "member", c, tags=["oud"])
    changed = api.patch(f"/threads/{thread['id']}", "member", json={"title": "Beter heffen", "tags": ["Nieuw"]})
    assert changed.status_code == 200
    assert (changed.get_json()["title"], changed.get_json()["tags"]) == ("Beter heffen", ["nieuw"])
    response = api.patch(f"/threads/{thread['id']}", "outsider", json={"title": "Van mij"})
    assert response.status_code == 403
    api.member(c, "outsider", "owner")
    response = api.patch(f"/threads/{thread['id']}", "outsider", json={"title": "Van mij"})
    assert (response.status_code, error_code(response)) == (403, "forbidden")
    assert api.patch(f"/threads/{thread['id']}", "mod", json={"tags": []}).get_json()["tags"] == []
    response = api.patch(f"/threads/{thread['id']}", "mod", json={"title": "x"})
    assert response.status_code == 422


def test_thread_list_pins_first_then_latest_activity(api, c):
    old = start(api, "member", c, title="Oud onderwerp")
    middle = start(api, "member", c, title="Midden")
    new = start(api, "member", c, title="Nieuw onderwerp")
    reply(api, "owner", old)  # activity moves it to the top of the unpinned ones
    api.patch(f"/threads/{middle['id']}", "mod", json={"pinned": True})
    items = api.get(f"/communities/{c['slug']}/threads", "outsider").get_json()["items"]
    assert [t["id"] for t in items] == [middle["id"], old["id"], new["id"]]
    assert set(items[0]) >= {"id", "title", "author", "tags", "pinned", "locked", "reply_count", "last_activity_at"}
    assert items[1]["reply_count"] == 1


def test_thread_list_filters_by_tag(api, c):
    tagged = start(api, "member", c, tags=["veiligheid"])
    start(api, "member", c, tags=["pauze"])
    items = api.get(f"/communities/{c['slug']}/threads?tag=Veiligheid", "member").get_json()["items"]
    assert [t["id"] for t in items] == [tagged["id"]]


def test_thread_list_pages_with_a_cursor(api, c):
    ids = [start(api, "member", c, title=f"Onderwerp {i}")["id"] for i in range(5)]
    api.patch(f"/threads/{ids[0]}", "mod", json={"pinned": True})
    seen, cursor = [], None
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = api.get(f"/communities/{c['slug']}/threads{query}", "member").get_json()
        seen += [t["id"] for t in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert seen == [ids[0], *reversed(ids[1:])]


# --- reactions ---------------------------------------------------------------------------------

def test_reactions_are_idempotent_and_counted(api, c):
    thread = start(api, "owner", c)
    post = thread["posts"][0]["id"]
    for _ in range(2):
        response = api.post(f"/posts/{post}/reactions", "member", json={"emoji": "👍"})
        assert response.status_code == 200
        assert response.get_json() == {"👍": 1}
    api.post(f"/posts/{post}/reactions", "mod", json={"emoji": "🎉"})
    api.post(f"/posts/{post}/reactions", "mod", json={"emoji": "👍"})
    seen = thread_of(api, "member", thread)["posts"][0]
    assert seen["reactions"] == {"👍": 2, "🎉": 1} and seen["my_reactions"] == ["👍"]
    response = api.delete(f"/posts/{post}/reactions?emoji=👍", "member")
    assert response.status_code == 200
    assert response.get_json() == {"👍": 1, "🎉": 1}
    assert thread_of(api, "member", thread)["posts"][0]["my_reactions"] == []


def test_heart_without_variation_selector_counts_as_the_configured_heart(api, c):
    thread = start(api, "owner", c)
    response = api.post(f"/posts/{thread['posts'][0]['id']}/reactions", "member", json={"emoji": "\u2764"})
    assert response.get_json() == {"❤️": 1}
    assert thread_of(api, "member", thread)["posts"][0]["my_reactions"] == ["❤️"]


@pytest.mark.parametrize("emoji", ["💩", "", "👍👍"])
def test_only_configured_emoji_are_accepted(api, c, emoji):
    thread = start(api, "owner", c)
    response = api.post(f"/posts/{thread['posts'][0]['id']}/reactions", "member", json={"emoji": emoji})
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"emoji"}


def test_reaction_set_is_configurable(make_app):
    from tests.factories import Api

    api = Api(make_app(REACTIONS=("🚜", "✅")))
    api.user("anna")
    community = api.community("anna")
    thread = start(api, "anna", community)
    post = thread["posts"][0]["id"]
    assert api.post(f"/posts/{post}/reactions", "anna", json={"emoji": "👍"}).status_code == 422
    assert api.post(f"/posts/{post}/reactions", "anna", json={"emoji": "🚜"}).get_json() == {"🚜": 1}


# --- editing, revisions, deleting --------------------------------------------------------------------

def test_author_edits_and_earlier_version_is_kept(api, c):
    thread = start(api, "member", c)
    post = reply(api, "member", thread, "Eerste versie")
    response = api.patch(f"/posts/{post['id']}", "member", json={"body": "Tweede **versie**"})
    assert response.status_code == 200
    edited = response.get_json()
    assert edited["body_html"] == "<p>Tweede <strong>versie</strong></p>" and edited["edited_at"]
    api.patch(f"/posts/{post['id']}", "mod", json={"body": "Derde versie"})
    revisions = api.get(f"/posts/{post['id']}/revisions", "member").get_json()["items"]
    assert [r["body"] for r in revisions] == ["Tweede **versie**", "Eerste versie"]
    assert [r["editor"]["username"] for r in revisions] == ["member", "member"]
    assert api.get(f"/posts/{post['id']}/revisions", "mod").status_code == 200


def test_others_may_not_edit_or_see_revisions(api, c):
    thread = start(api, "member", c)
    api.member(c, "outsider", "owner")
    post = thread["posts"][0]["id"]
    response = api.patch(f"/posts/{post}", "outsider", json={"body": "Van mij"})
    assert (response.status_code, error_code(response)) == (403, "forbidden")
    assert api.get(f"/posts/{post}/revisions", "outsider").status_code == 403


def test_edit_validates_the_body(api, c):
    thread = start(api, "member", c)
    response = api.patch(f"/posts/{thread['posts'][0]['id']}", "member", json={"body": " "})
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"body"}


def test_delete_is_soft_and_keeps_the_tree(api, c):
    thread = start(api, "owner", c)
    post = reply(api, "member", thread, "Oeps, privé nummer 0612345678")
    child = reply(api, "mod", thread, "Antwoord", parent=post["id"])
    api.post(f"/posts/{post['id']}/reactions", "owner", json={"emoji": "👀"})
    assert api.delete(f"/posts/{post['id']}", "member").status_code == 204
    assert api.delete(f"/posts/{post['id']}", "member").status_code == 204  # again: nothing to do
    seen = thread_of(api, "owner", thread)
    gone = seen["posts"][1]
    assert gone["id"] == post["id"] and gone["deleted"] is True
    assert (gone["body"], gone["body_html"], gone["author"], gone["reactions"]) == ("", "", None, {})
    assert seen["posts"][2]["id"] == child["id"] and seen["posts"][2]["parent_id"] == post["id"]
    assert seen["reply_count"] == 1
    assert "0612345678" not in str(seen)
    # No new replies, edits or reactions on it; its text lives on for moderators only.
    response = api.post(f"/threads/{thread['id']}/posts", "owner", json={"body": "x", "parent_id": post["id"]})
    assert response.status_code == 422
    assert api.patch(f"/posts/{post['id']}", "member", json={"body": "terug"}).status_code == 404
    assert api.post(f"/posts/{post['id']}/reactions", "owner", json={"emoji": "👍"}).status_code == 404
    assert api.get(f"/posts/{post['id']}/revisions", "member").status_code == 404
    revisions = api.get(f"/posts/{post['id']}/revisions", "mod").get_json()["items"]
    assert revisions[0]["body"] == "Oeps, privé nummer 0612345678"


def test_only_author_or_moderator_deletes(api, c):
    thread = start(api, "owner", c)
    post = reply(api, "member", thread)
    api.member(c, "outsider", "owner")
    response = api.delete(f"/posts/{post['id']}", "outsider")
    assert (response.status_code, error_code(response)) == (403, "forbidden")
    assert api.delete(f"/posts/{post['id']}", "mod").status_code == 204


def test_author_may_delete_in_a_locked_thread(api, c):
    thread = start(api, "owner", c)
    post = reply(api, "member", thread)
    api.patch(f"/threads/{thread['id']}", "mod", json={"locked": True})
    assert api.delete(f"/posts/{post['id']}", "member").status_code == 204


# --- user text is normalised --------------------------------------------------------------------------

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def test_a_title_of_zero_width_spaces_is_empty(api, c):
    response = api.post(f"/communities/{c['slug']}/threads", "member",
                        json={"title": "\u200b" * 4, "body": "Zie je dit?"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"title": "This field is required."}


def test_a_title_counts_only_visible_characters(api, c):
    response = api.post(f"/communities/{c['slug']}/threads", "member",
                        json={"title": "a\u200b\u200bb", "body": "Kort."})
    assert response.get_json()["error"]["fields"]["title"] == "Use at least 3 characters."


def test_a_body_of_invisible_characters_is_empty(api, c):
    thread = start(api, "member", c)
    response = api.post(f"/threads/{thread['id']}/posts", "member", json={"body": ZERO_WIDTH + "\x00 \n"})
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"body"}


def test_nul_and_control_characters_are_not_stored(api, c):
    thread = start(api, "member", c, title="Veilig\x00 heffen\x1b", body="Regel\x00 een\r\nregel\x07 twee")
    assert thread["title"] == "Veilig heffen"
    assert thread["posts"][0]["body"] == "Regel een\nregel twee"


def test_letters_of_every_script_and_emoji_sequences_stay_intact(api, c):
    text = "Geëerde ĳsbaan, café (e\u0301) · مرحبا · 👩\u200d🔧 sleutelt"
    thread = start(api, "member", c, title="Geëerd 👩\u200d🔧 ĳs", body=text)
    assert thread["title"] == "Geëerd 👩\u200d🔧 ĳs"
    assert thread["posts"][0]["body"] == text.replace("e\u0301", "é")  # NFC


# --- following, preview, stats -------------------------------------------------------------------------

def test_follow_and_unfollow(api, c):
    thread = start(api, "owner", c)
    assert api.post(f"/threads/{thread['id']}/follow", "outsider").get_json() == {"following": True}
    assert thread_of(api, "outsider", thread)["following"] is True
    assert api.delete(f"/threads/{thread['id']}/follow", "outsider").get_json() == {"following": False}
    assert thread_of(api, "outsider", thread)["following"] is False


def test_preview_renders_safely_without_storing(api, c):
    response = api.post("/preview", "member", json={"body": "**vet** <script>alert(1)</script>"})
    assert response.status_code == 200
    html = response.get_json()["body_html"]
    assert "<strong>vet</strong>" in html and "<script>" not in html


def test_posts_count_in_user_stats(api, c):
    thread = start(api, "member", c)
    reply(api, "member", thread)
    gone = reply(api, "member", thread)
    api.delete(f"/posts/{gone['id']}", "member")
    assert api.get("/users/member", "owner").get_json()["stats"]["posts"] == 2


def _posts_stat(api, viewer, username="member"):
    return api.get(f"/users/{username}", viewer).get_json()["stats"]["posts"]


def test_user_stats_count_only_posts_the_viewer_may_read(api, c):
    api.user("admin", admin=True)
    secret = api.community("owner", "Geheim", visibility="private", join_policy="invite")
    api.member(secret, "member", "owner")
    start(api, "member", c)
    before = {viewer: _posts_stat(api, viewer) for viewer in ("outsider", "owner", "member", "admin")}
    reply(api, "member", start(api, "member", secret))
    after = {viewer: _posts_stat(api, viewer) for viewer in ("outsider", "owner", "member", "admin")}
    assert after == {"outsider": before["outsider"], "owner": before["owner"] + 2,
                     "member": before["member"] + 2, "admin": before["admin"] + 2}
    assert before["outsider"] == 1


def test_user_stats_leave_out_a_community_that_banned_the_viewer(api, c):
    start(api, "member", c)
    assert _posts_stat(api, "outsider") == 1
    api.member(c, "outsider", "owner", state="banned")
    assert _posts_stat(api, "outsider") == 0 and _posts_stat(api, "mod") == 1


# --- no query per post ------------------------------------------------------------------------------------

@contextmanager
def counted_queries(app):
    from community.extensions import db

    statements = []
    with app.app_context():
        engine = db.engine

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_thread_loads_in_the_same_few_queries_whatever_its_size(app, api, c):
    small, large = start(api, "owner", c), start(api, "owner", c, title="Groot")
    reply(api, "member", small)
    parent = None
    for i in range(30):
        who = ("member", "mod", "owner")[i % 3]
        parent = reply(api, who, large, f"Post {i}", parent=parent["id"] if parent and i % 4 else None)
        api.post(f"/posts/{parent['id']}/reactions", "member", json={"emoji": "👍"})
    with counted_queries(app) as small_queries:
        thread_of(api, "member", small)
    with counted_queries(app) as large_queries:
        thread_of(api, "member", large)
    assert len(large_queries) == len(small_queries)
    # token, its user, thread+community+membership+follow, posts, authors, reactions, tags,
    # and the authors' expertise (Q&A's provider of the user object: three grouped queries for all)
    assert len(large_queries) <= 10, large_queries


# --- HTML pages ----------------------------------------------------------------------------------------

def sign_in(client, username):
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/login", data={"login": username, "password": PASSWORD, "csrf_token": csrf})
    assert response.status_code == 302
    return csrf


def test_thread_page_shows_each_post_with_its_anchor(app, api, c):
    thread = start(api, "owner", c)
    post = reply(api, "member", thread, "Hallo <b>daar</b>")
    client = app.test_client()
    sign_in(client, "member")
    response = client.get(f"/threads/{thread['id']}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="post-{thread["posts"][0]["id"]}"' in html and f'id="post-{post["id"]}"' in html
    assert "<b>daar</b>" not in html and "&lt;b&gt;daar&lt;/b&gt;" in html
    assert "<script>" not in html and " style=" not in html and " onclick=" not in html


def test_deep_branches_are_folded_on_the_page(app, api, c):
    thread = start(api, "owner", c)
    parent = None
    for _ in range(6):
        parent = reply(api, "member", thread, parent=parent and parent["id"])
    client = app.test_client()
    sign_in(client, "member")
    html = client.get(f"/threads/{thread['id']}").get_data(as_text=True)
    folded = html.split('<details class="branch">', 1)[1].split("</details>", 1)[0]
    assert folded.count('class="post depth-') == 3  # depths 4, 5 and 6


def test_thread_page_is_the_same_404_for_outsiders(app, api, c):
    private = api.community("owner", "Geheim", visibility="private", join_policy="invite")
    thread = start(api, "owner", private)
    client = app.test_client()
    sign_in(client, "outsider")
    hidden = client.get(f"/threads/{thread['id']}")
    missing = client.get("/threads/999999")
    assert hidden.status_code == missing.status_code == 404


def test_reply_and_new_thread_forms_call_the_same_services(app, api, c):
    thread = start(api, "owner", c)
    client = app.test_client()
    csrf = sign_in(client, "member")
    response = client.post(f"/threads/{thread['id']}/reply", data={"body": "Via het formulier", "parent_id": "",
                                                                  "csrf_token": csrf})
    assert response.status_code == 302 and re.search(r"/threads/\d+#post-\d+$", response.headers["Location"])
    assert thread_of(api, "member", thread)["posts"][-1]["body"] == "Via het formulier"
    response = client.post(f"/threads/{thread['id']}/reply", data={"body": " ", "csrf_token": csrf})
    assert response.status_code == 422
    response = client.post(f"/c/{c['slug']}/threads/new", data={"title": "Via de site", "body": "Tekst",
                                                               "tags": "Heftruck, veiligheid", "csrf_token": csrf})
    assert response.status_code == 302
    created = api.get(f"/communities/{c['slug']}/threads", "member").get_json()["items"][0]
    assert (created["title"], created["tags"]) == ("Via de site", ["heftruck", "veiligheid"])


def test_reaction_button_toggles_on_the_page(app, api, c):
    thread = start(api, "owner", c)
    post = thread["posts"][0]["id"]
    client = app.test_client()
    csrf = sign_in(client, "member")
    for expected in ({"👍": 1}, {}):
        assert client.post(f"/posts/{post}/react", data={"emoji": "👍", "csrf_token": csrf}).status_code == 302
        assert thread_of(api, "member", thread)["posts"][0]["reactions"] == expected


def test_new_thread_page_refuses_non_members(app, api, c):
    outsider, member = app.test_client(), app.test_client()
    sign_in(outsider, "outsider")
    sign_in(member, "member")
    assert outsider.get(f"/c/{c['slug']}/threads/new").status_code == 403
    assert member.get(f"/c/{c['slug']}/threads/new").status_code == 200


def test_empty_change_needs_the_right_to_change(api, c):
    thread = start(api, "member", c)
    api.member(c, "outsider", "owner")
    assert api.patch(f"/threads/{thread['id']}", "outsider", json={}).status_code == 403
    assert api.patch(f"/threads/{thread['id']}", "member", json={}).status_code == 200


def test_title_is_one_line(api, c):
    thread = start(api, "member", c, title="  Veilig\n\theffen  ")
    assert thread["title"] == "Veilig heffen"


def test_page_forms_edit_delete_pin_and_retag(app, api, c):
    thread = start(api, "member", c, tags=["oud"])
    post = reply(api, "member", thread, "Eerste versie")
    member, mod = app.test_client(), app.test_client()
    member_csrf, mod_csrf = sign_in(member, "member"), sign_in(mod, "mod")
    assert 'name="body"' in member.get(f"/posts/{post['id']}/edit").get_data(as_text=True)
    edit = f"/posts/{post['id']}/edit"
    assert member.post(edit, data={"body": "Tweede", "csrf_token": member_csrf}).status_code == 302
    assert member.post(edit, data={"body": "", "csrf_token": member_csrf}).status_code == 422
    edit_page = member.get(f"/threads/{thread['id']}/edit").get_data(as_text=True)
    assert 'value="oud"' in edit_page
    member.post(f"/threads/{thread['id']}/edit", data={"title": "Nieuwe titel", "tags": "", "csrf_token": member_csrf})
    assert mod.post(f"/threads/{thread['id']}/edit", data={"pinned": "1", "csrf_token": mod_csrf}).status_code == 302
    # a member's pin button would be refused with a message on the thread page, not an error page
    refused = member.post(f"/threads/{thread['id']}/edit", data={"locked": "1", "csrf_token": member_csrf})
    assert refused.status_code == 302
    assert member.post(f"/posts/{post['id']}/delete", data={"csrf_token": member_csrf}).status_code == 302
    seen = thread_of(api, "member", thread)
    assert (seen["title"], seen["tags"], seen["pinned"], seen["locked"]) == ("Nieuwe titel", [], True, False)
    assert seen["posts"][1]["deleted"] is True


def test_reaction_page_without_javascript(app, api, c):
    thread = start(api, "owner", c)
    client = app.test_client()
    sign_in(client, "member")
    page = client.get(f"/posts/{thread['posts'][0]['id']}/react").get_data(as_text=True)
    assert page.count('class="reaction"') == 6


def test_follow_button_on_the_page(app, api, c):
    thread = start(api, "owner", c)
    client = app.test_client()
    csrf = sign_in(client, "outsider")
    client.post(f"/threads/{thread['id']}/follow", data={"follow": "1", "csrf_token": csrf})
    assert thread_of(api, "outsider", thread)["following"] is True
    client.post(f"/threads/{thread['id']}/follow", data={"follow": "0", "csrf_token": csrf})
    assert thread_of(api, "outsider", thread)["following"] is False


def test_thread_list_page_links_each_thread(app, api, c):
    thread = start(api, "member", c, tags=["veiligheid"])
    client = app.test_client()
    sign_in(client, "outsider")
    html = client.get(f"/c/{c['slug']}/threads?tag=veiligheid", follow_redirects=True).get_data(as_text=True)
    assert f'href="/threads/{thread["id"]}"' in html
