"""A join request, once handled by any moderator: the person who asked hears the outcome,
and every moderator's "asks to join" notification about it is read."""

from __future__ import annotations

import pytest

from tests.api.test_notifications import inbox


@pytest.fixture
def approval(api):
    for name in ("owner", "mod", "sanne", "kevin"):
        api.user(name)
    community = api.community("owner", "Op aanvraag", join_policy="approval")
    api.member(community, "mod", "owner", role="moderator")
    assert api.post(f"/communities/{community['slug']}/join", "sanne", json={}).status_code == 200
    return community


def unread(api, user, kind):
    return [n for n in inbox(api, user, "?unread=1") if n["kind"] == kind]


def test_approval_tells_the_person_who_asked_with_a_link_to_the_community(api, approval):
    slug = approval["slug"]
    assert api.patch(f"/communities/{slug}/members/sanne", "mod", json={"state": "active"}).status_code == 200
    [note] = inbox(api, "sanne")
    assert note["kind"] == "join_approved"
    assert note["actor"]["username"] == "mod" and note["community"] == slug
    assert note["url"] == f"/c/{slug}" and note["title"] == "Op aanvraag"


@pytest.mark.parametrize("handle", ["approve", "refuse", "ban"])
def test_handling_a_request_marks_every_moderators_notification_of_it_read(api, approval, handle):
    slug = approval["slug"]
    assert unread(api, "owner", "join_request") and unread(api, "mod", "join_request")
    path = f"/communities/{slug}/members/sanne"
    response = {"approve": lambda: api.patch(path, "mod", json={"state": "active"}),
                "refuse": lambda: api.delete(path, "mod"),
                "ban": lambda: api.patch(path, "mod", json={"state": "banned"})}[handle]()
    assert response.status_code in (200, 204)
    assert unread(api, "owner", "join_request") == [] and unread(api, "mod", "join_request") == []


def test_only_the_handled_persons_request_is_marked_read(api, approval):
    slug = approval["slug"]
    api.post(f"/communities/{slug}/join", "kevin", json={})
    api.patch(f"/communities/{slug}/members/sanne", "owner", json={"state": "active"})
    [waiting] = unread(api, "mod", "join_request")
    assert waiting["actor"]["username"] == "kevin"


def test_a_withdrawn_request_needs_no_moderator_any_more(api, approval):
    assert api.post(f"/communities/{approval['slug']}/leave", "sanne").status_code == 204
    assert unread(api, "owner", "join_request") == [] and unread(api, "mod", "join_request") == []
    assert inbox(api, "sanne") == []


def test_joining_with_an_invite_while_waiting_settles_the_request(api, approval):
    slug = approval["slug"]
    token = api.post(f"/communities/{slug}/invites", "owner", json={}).get_json()["token"]
    assert api.post(f"/communities/{slug}/join", "sanne", json={"invite": token}).get_json()["state"] == "active"
    assert unread(api, "mod", "join_request") == []


def test_refusal_tells_the_person_who_asked_in_a_public_community(api, approval):
    assert api.delete(f"/communities/{approval['slug']}/members/sanne", "mod").status_code == 204
    [note] = inbox(api, "sanne")
    assert note["kind"] == "join_refused" and note["url"] == f"/c/{approval['slug']}"


def test_refusal_in_a_private_community_tells_nobody_outside_it(api, approval):
    """The refused person may not see a private community, so no notification may name it to them."""
    slug = approval["slug"]
    assert api.patch(f"/communities/{slug}", "owner", json={"visibility": "private"}).status_code == 200
    assert api.delete(f"/communities/{slug}/members/sanne", "owner").status_code == 204
    assert inbox(api, "sanne") == []


def test_the_notifications_page_words_both_outcomes(app, api, approval):
    from tests.api.test_discussions import sign_in

    api.post(f"/communities/{approval['slug']}/join", "kevin", json={})
    api.patch(f"/communities/{approval['slug']}/members/sanne", "mod", json={"state": "active"})
    api.delete(f"/communities/{approval['slug']}/members/kevin", "mod")
    pages = {}
    for who in ("sanne", "kevin"):
        client = app.test_client()
        sign_in(client, who)
        pages[who] = client.get("/notifications").get_data(as_text=True)
    assert "mod approved your request to join Op aanvraag" in pages["sanne"]
    assert "Your request to join Op aanvraag was declined" in pages["kevin"]
