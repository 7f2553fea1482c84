"""Moderation in depth (issue 15): a mute tells the member until when and why and ends by itself; an invite
link can be revoked, and then counts as no invite. Both are in the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from community.timeutil import iso, utcnow
from tests.api.test_discussions import sign_in

REASON = "Drie keer dezelfde reclame in de chat"


@pytest.fixture
def c(api):
    return api.team("Winkelvloer", ("sanne", "kevin"), join_policy="invite", visibility="private")


def code(response):
    return response.get_json()["error"]["code"]


def audit(api, c, action):
    entries = api.get(f"/communities/{c['slug']}/audit?action={action}", "owner").get_json()["items"]
    return entries


def mute(api, c, username="sanne", *, minutes=60, **fields):
    until = iso(utcnow() + timedelta(minutes=minutes))
    response = api.patch(f"/communities/{c['slug']}/members/{username}", "mod",
                         json={"muted_until": until, **fields})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def start_thread(api, c, user):
    return api.post(f"/communities/{c['slug']}/threads", user, json={"title": "Rooster", "body": "Wie ruilt?"})


# --- mutes ----------------------------------------------------------------------------------------

def test_a_mute_with_a_reason_is_told_to_the_member_kept_in_the_log_and_refuses_writing(api, c):
    membership = mute(api, c, reason=REASON)
    assert membership["muted"] is True and membership["mute_reason"] == REASON

    [told] = [n for n in api.get("/notifications", "sanne").get_json()["items"] if n["kind"] == "muted"]
    until = datetime.fromisoformat(membership["muted_until"].replace("Z", "+00:00"))
    assert REASON in told["title"] and f"{until:%b} {until.day}, {until.year}" in told["title"]  # "Dec 8, 2026"
    assert told["title"].endswith(f"UTC: {REASON}")
    assert told["actor"]["username"] == "mod" and told["community"] == c["slug"]
    [entry] = audit(api, c, "muted")
    assert (entry["target"]["label"], entry["reason"], entry["detail"]) == ("sanne", REASON,
                                                                          membership["muted_until"])
    refused = start_thread(api, c, "sanne")
    assert refused.status_code == 403 and code(refused) == "muted"


def test_the_reason_is_for_the_member_and_moderators_only(api, c):
    mute(api, c, reason=REASON)
    by_name = {m["user"]["username"]: m for m in api.get(f"/communities/{c['slug']}/members", "kevin")
               .get_json()["items"]}
    assert by_name["sanne"]["muted"] is True and "mute_reason" not in by_name["sanne"]
    for reader in ("sanne", "mod"):
        members = api.get(f"/communities/{c['slug']}/members", reader).get_json()["items"]
        assert [m["mute_reason"] for m in members if m["user"]["username"] == "sanne"] == [REASON]


def test_a_ban_with_a_reason_keeps_it_in_the_log(api, c):
    response = api.patch(f"/communities/{c['slug']}/members/kevin", "mod",
                         json={"state": "banned", "reason": "Scheldwoorden"})
    assert response.status_code == 200
    [entry] = audit(api, c, "banned")
    assert entry["reason"] == "Scheldwoorden"


def test_a_reason_longer_than_500_characters_is_refused(api, c):
    until = iso(utcnow() + timedelta(hours=1))
    response = api.patch(f"/communities/{c['slug']}/members/sanne", "mod",
                         json={"muted_until": until, "reason": "x" * 501})
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"reason"}
    assert api.get("/notifications", "sanne").get_json()["items"] == []


def test_a_short_mute_ends_by_itself_and_the_member_writes_again(api, c, monkeypatch):
    from community.communities import models

    mute(api, c, minutes=1, reason=REASON)
    assert code(start_thread(api, c, "sanne")) == "muted"
    real = models.utcnow
    monkeypatch.setattr(models, "utcnow", lambda: real() + timedelta(minutes=2))  # the mute's minute is over

    members = api.get(f"/communities/{c['slug']}/members", "mod").get_json()["items"]
    [sanne] = [m for m in members if m["user"]["username"] == "sanne"]
    assert (sanne["muted"], sanne["muted_until"], sanne["mute_reason"]) == (False, None, None)
    assert start_thread(api, c, "sanne").status_code == 201


def test_where_a_muted_member_would_write_they_read_until_when_and_why(app, api, c):
    thread = start_thread(api, c, "kevin").get_json()
    mute(api, c, reason="Even afkoelen <b>graag</b>")
    client = app.test_client()
    sign_in(client, "sanne")
    pages = (f"/threads/{thread['id']}", f"/c/{c['slug']}/chat", f"/c/{c['slug']}/questions/new")
    for path in pages:
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert "You are muted until" in html and "Even afkoelen &lt;b&gt;graag&lt;/b&gt;" in html, path
        assert "<time" in html.split("You are muted until", 1)[1][:200], path
    assert 'name="body"' not in client.get(f"/c/{c['slug']}/questions/new").get_data(as_text=True)
    assert "Reason: Even afkoelen" in client.get(f"/c/{c['slug']}/members").get_data(as_text=True)
    other = app.test_client()
    sign_in(other, "kevin")
    members = other.get(f"/c/{c['slug']}/members").get_data(as_text=True)
    assert "Muted until" in members and "Even afkoelen" not in members


# --- invite links ---------------------------------------------------------------------------------

def invite(api, c, **fields):
    response = api.post(f"/communities/{c['slug']}/invites", "mod", json=fields)
    assert response.status_code == 201
    return response.get_json()


def test_a_revoked_invite_lets_nobody_in_and_the_revocation_is_logged(api, c):
    made = invite(api, c, max_uses=5)
    assert isinstance(made["id"], int)
    assert api.delete(f"/communities/{c['slug']}/invites/{made['id']}", "mod").status_code == 204
    refused = api.post(f"/communities/{c['slug']}/join", "outsider", json={"invite": made["token"]})
    assert refused.status_code == 404 and code(refused) == "not_found"  # as with no invite at all
    assert api.get(f"/communities/{c['slug']}", "outsider").status_code == 404

    assert api.delete(f"/communities/{c['slug']}/invites/{made['id']}", "owner").status_code == 204  # again: no-op
    [entry] = audit(api, c, "invite_revoked")
    assert (entry["actor"], entry["target"]["type"], entry["target"]["id"]) == ("mod", "invite", made["id"])


def test_a_revoked_invite_of_a_public_invite_only_community_is_refused_as_no_invite(api):
    for name in ("owner", "visitor"):
        api.user(name)
    c = api.community("owner", "Open huis", join_policy="invite")
    made = api.post(f"/communities/{c['slug']}/invites", "owner", json={}).get_json()
    api.delete(f"/communities/{c['slug']}/invites/{made['id']}", "owner")
    with_it = api.post(f"/communities/{c['slug']}/join", "visitor", json={"invite": made["token"]})
    without = api.post(f"/communities/{c['slug']}/join", "visitor", json={})
    assert (with_it.status_code, code(with_it)) == (without.status_code, code(without)) == (403, "forbidden")


def test_moderators_list_invite_links_with_their_use_and_state(api, c):
    first = invite(api, c, max_uses=2)
    second = invite(api, c)
    assert api.post(f"/communities/{c['slug']}/join", "outsider", json={"invite": first["token"]}).status_code == 200
    api.delete(f"/communities/{c['slug']}/invites/{second['id']}", "mod")
    items = api.get(f"/communities/{c['slug']}/invites", "mod").get_json()["items"]
    by_id = {i["id"]: i for i in items}
    assert (by_id[first["id"]]["uses"], by_id[first["id"]]["max_uses"], by_id[first["id"]]["revoked"]) == (1, 2, False)
    assert by_id[second["id"]]["revoked"] is True and by_id[second["id"]]["created_by"] == "mod"
    assert items[0]["id"] == second["id"]  # newest first
    assert set(items[0]) >= {"id", "created_by", "created_at", "expires_at", "max_uses", "uses", "revoked"}
    assert "token" not in items[0]


def test_only_moderators_see_and_revoke_invites_and_outsiders_learn_nothing(api, c):
    made = invite(api, c)
    slug = c["slug"]
    for user, status in ((None, 401), ("kevin", 403), ("outsider", 404)):
        assert api.get(f"/communities/{slug}/invites", user).status_code == status
        assert api.delete(f"/communities/{slug}/invites/{made['id']}", user).status_code == status
    assert api.delete(f"/communities/{slug}/invites/999999", "mod").status_code == 404
    assert api.post(f"/communities/{slug}/join", "outsider", json={"invite": made["token"]}).status_code == 200


def test_the_invites_page_revokes_a_link(app, api, c):
    made = invite(api, c)
    client = app.test_client()
    csrf = sign_in(client, "mod")
    html = client.get(f"/c/{c['slug']}/invites").get_data(as_text=True)
    action = f"/c/{c['slug']}/invites/{made['id']}/revoke"
    assert f'action="{action}"' in html
    assert client.post(action, data={"csrf_token": csrf}).status_code == 302
    assert api.post(f"/communities/{c['slug']}/join", "outsider", json={"invite": made["token"]}).status_code == 404
    assert "Revoked" in client.get(f"/c/{c['slug']}/invites").get_data(as_text=True)
