"""Notifications: who hears of what, and only ever about what they may read."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from community import events
from tests.api.test_discussions import reply, sign_in, start


@pytest.fixture
def c(api):
    for name in ("owner", "mod", "anna", "bob", "outsider"):
        api.user(name)
    community = api.community("owner", "Heftruck")
    api.member(community, "mod", "owner", role="moderator")
    api.member(community, "anna", "owner")
    api.member(community, "bob", "owner")
    return community


def inbox(api, user, query=""):
    response = api.get(f"/notifications{query}", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def kinds(api, user):
    return [n["kind"] for n in inbox(api, user)]


def test_reply_notifies_the_author_of_the_post_with_a_link_to_the_reply(api, c):
    thread = start(api, "anna", c)
    post = reply(api, "bob", thread, "Zo doe ik het")
    [note] = inbox(api, "anna")
    assert note["kind"] == "reply"
    assert note["url"] == f"/threads/{thread['id']}#post-{post['id']}"
    assert note["actor"]["username"] == "bob"
    assert (note["community"], note["title"], note["read"]) == (c["slug"], "Veilig heffen", False)
    assert set(note) == {"id", "kind", "created_at", "read", "actor", "community", "title", "url"}
    assert inbox(api, "bob") == []  # never the actor


def test_reply_to_a_reply_notifies_its_author_and_followers_hear_of_the_rest(api, c):
    thread = start(api, "anna", c)
    first = reply(api, "bob", thread)
    reply(api, "mod", thread, parent=first["id"])
    assert kinds(api, "bob") == ["reply"]                      # to his post
    assert kinds(api, "anna") == ["thread_reply", "reply"]     # she follows the thread she started


def test_following_and_unfollowing(api, c):
    thread = start(api, "anna", c)
    api.post(f"/threads/{thread['id']}/follow", "outsider")
    reply(api, "bob", thread)
    assert kinds(api, "outsider") == ["thread_reply"]
    api.delete(f"/threads/{thread['id']}/follow", "outsider")
    reply(api, "bob", thread)
    assert kinds(api, "outsider") == ["thread_reply"]


def test_one_notification_per_person_per_post_by_the_strongest_reason(api, c):
    thread = start(api, "anna", c)
    reply(api, "bob", thread, "Klopt dit, @anna?")
    assert kinds(api, "anna") == ["mention"]


def test_mentions_notify_those_who_may_read_the_place(api, c):
    start(api, "anna", c, body="Vraag voor @outsider en @bob en @niemand")
    assert kinds(api, "bob") == ["mention"]
    assert kinds(api, "outsider") == ["mention"]  # a public community: they can read it


def test_mentions_in_a_private_community_never_reach_outsiders(api, c):
    private = api.community("owner", "Geheim", visibility="private", join_policy="invite")
    api.member(private, "anna", "owner")
    start(api, "owner", private, body="@anna en @outsider, kijk even")
    assert kinds(api, "anna") == ["mention"]
    assert inbox(api, "outsider") == []


def test_banned_members_are_not_notified_and_lose_old_notifications(api, c):
    thread = start(api, "anna", c)
    reply(api, "bob", thread)
    assert api.get("/notifications/unread_count", "anna").get_json() == {"unread_count": 1}
    api.patch(f"/communities/{c['slug']}/members/anna", "owner", json={"state": "banned"})
    assert inbox(api, "anna") == []
    assert api.get("/notifications/unread_count", "anna").get_json() == {"unread_count": 0}
    start(api, "bob", c, body="Hoi @anna")
    api.patch(f"/communities/{c['slug']}/members/anna", "owner", json={"state": "active"})
    assert kinds(api, "anna") == ["reply"]  # the mention while banned never happened for her


def test_edit_that_adds_a_mention_notifies_only_the_newly_mentioned(api, c):
    thread = start(api, "owner", c, body="Hoi @anna")
    post = thread["posts"][0]["id"]
    api.patch(f"/posts/{post}", "owner", json={"body": "Hoi @anna en @bob"})
    assert kinds(api, "anna") == ["mention"]
    assert kinds(api, "bob") == ["mention"]


def test_join_request_notifies_the_moderators(api, c):
    approval = api.community("owner", "Op aanvraag", join_policy="approval")
    api.member(approval, "mod", "owner", role="moderator")
    api.post(f"/communities/{approval['slug']}/join", "outsider", json={})
    for moderator in ("owner", "mod"):
        [note] = [n for n in inbox(api, moderator) if n["kind"] == "join_request"]
        assert note["actor"]["username"] == "outsider" and note["community"] == approval["slug"]
        assert note["url"] == f"/c/{approval['slug']}/members?state=pending"
    assert inbox(api, "outsider") == []


def test_unread_filter_count_and_marking_read(api, c):
    thread = start(api, "anna", c)
    for _ in range(3):
        reply(api, "bob", thread)
    ids = [n["id"] for n in inbox(api, "anna")]
    response = api.post("/notifications/read", "anna", json={"ids": ids[:1]})
    assert response.get_json() == {"marked": 1, "unread_count": 2}
    assert [n["id"] for n in inbox(api, "anna", "?unread=1")] == ids[1:]
    assert [n["read"] for n in inbox(api, "anna")] == [True, False, False]
    assert api.post("/notifications/read", "anna", json={"all": True}).get_json()["unread_count"] == 0
    assert inbox(api, "anna", "?unread=1") == []


def test_marking_someone_elses_notification_does_nothing(api, c):
    thread = start(api, "anna", c)
    reply(api, "bob", thread)
    [note] = inbox(api, "anna")
    assert api.post("/notifications/read", "bob", json={"ids": [note["id"]]}).get_json()["marked"] == 0
    assert inbox(api, "anna")[0]["read"] is False


@pytest.mark.parametrize(("body", "status"), [
    ({}, 422), ({"ids": []}, 422), ({"all": False}, 422), ({"ids": "1"}, 400), ({"ids": [True]}, 400),
    ({"all": "yes"}, 400),
])
def test_mark_read_needs_ids_or_all(api, c, body, status):
    assert api.post("/notifications/read", "anna", json=body).status_code == status


def test_notifications_page_lists_and_opens_a_notification(app, api, c):
    thread = start(api, "anna", c)
    post = reply(api, "bob", thread, "Kijk hier")
    client = app.test_client()
    sign_in(client, "anna")
    html = client.get("/notifications").get_data(as_text=True)
    assert "bob replied to your post in “Veilig heffen”" in html
    link = re.search(r'href="(/notifications/\d+)"', html).group(1)
    response = client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/threads/{thread['id']}#post-{post['id']}")
    assert inbox(api, "anna")[0]["read"] is True


def test_someone_elses_notification_link_is_not_found(app, api, c):
    thread = start(api, "anna", c)
    reply(api, "bob", thread)
    [note] = inbox(api, "anna")
    client = app.test_client()
    sign_in(client, "bob")
    assert client.get(f"/notifications/{note['id']}").status_code == 404


def test_pages_follow_the_cursor(api, c):
    thread = start(api, "anna", c)
    for _ in range(5):
        reply(api, "bob", thread)
    first = api.get("/notifications?limit=3", "anna").get_json()
    second = api.get(f"/notifications?limit=3&cursor={first['next']}", "anna").get_json()
    ids = [n["id"] for n in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 5 and second["next"] is None


# --- notify() as the capability others reuse -----------------------------------------------------------

def _ids(app, *usernames):
    from community.accounts.service import find_user

    with app.app_context():
        return [find_user(name).id for name in usernames]


def test_notify_filters_through_access_and_skips_the_actor(app, api, c):
    from community.communities.service import find_community
    from community.notifications.events import NotificationCreated
    from community.notifications.service import notify

    private = api.community("owner", "Geheim", visibility="private", join_policy="invite")
    api.member(private, "anna", "owner")
    until = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    api.patch(f"/communities/{private['slug']}/members/anna", "owner", json={"muted_until": until})
    owner, anna, bob = _ids(app, "owner", "anna", "bob")
    pushed = []
    events.listen(NotificationCreated)(pushed.append)
    try:
        with app.test_request_context():
            community = find_community(private["slug"])
            created = notify([owner, anna, bob, anna], "flag", owner, community.id, "Gemeld", "/c/geheim")
            recipients = [n.user_id for n in created]
    finally:
        events._listeners[NotificationCreated].remove(pushed.append)
    assert recipients == [anna]  # muted members still read; bob cannot; owner acted
    assert [(e.user_id, e.kind) for e in pushed] == [(anna, "flag")]
    assert kinds(api, "anna") == ["flag", "muted"]  # and, before it, the mute she was told of


def test_notification_without_a_community_goes_to_everyone_named(app, api, c):
    from community.notifications.service import notify

    anna, bob = _ids(app, "anna", "bob")
    with app.test_request_context():
        notify([anna, bob], "accepted", None, None, "Welkom", "/")
    assert kinds(api, "bob") == ["accepted"]
    assert inbox(api, "bob")[0]["actor"] is None and inbox(api, "bob")[0]["community"] is None


def test_mark_all_read_from_the_page(app, api, c):
    thread = start(api, "anna", c)
    reply(api, "bob", thread)
    client = app.test_client()
    csrf = sign_in(client, "anna")
    assert client.post("/notifications/read", data={"all": "1", "csrf_token": csrf}).status_code == 302
    assert api.get("/notifications/unread_count", "anna").get_json() == {"unread_count": 0}
