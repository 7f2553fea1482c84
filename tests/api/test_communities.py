"""Communities, memberships and invites, as the contract states them."""

import pytest


@pytest.fixture
def people(api):
    return {name: api.user(name) for name in ("owner", "mod", "member", "outsider")}


def test_creator_becomes_owner_and_slug_is_derived(api, people):
    c = api.community("owner", "Heftruck Training Café")
    assert c["slug"] == "heftruck-training-cafe"
    assert (c["my_role"], c["my_state"], c["member_count"]) == ("owner", "active", 1)
    assert c["kind"] == "practice" and c["phase"] == "active"


def test_derived_slug_gets_a_suffix_but_a_chosen_taken_slug_conflicts(api, people):
    assert api.community("owner", "Winkel Noord")["slug"] == "winkel-noord"
    assert api.community("owner", "Winkel Noord")["slug"] == "winkel-noord-2"
    response = api.post("/communities", "owner", json={"name": "Anders", "slug": "winkel-noord",
                                                       "kind": "practice", "visibility": "public",
                                                       "join_policy": "open"})
    assert response.status_code == 409


def test_create_validates_every_field(api, people):
    response = api.post("/communities", "owner", json={"name": "x", "kind": "club", "visibility": "secret",
                                                       "join_policy": "maybe", "slug": "Bad Slug"})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"name", "kind", "visibility", "join_policy", "slug"}


def test_cohort_needs_ordered_dates(api, people):
    base = {"name": "Heftruck cohort", "kind": "cohort", "visibility": "public", "join_policy": "open"}
    response = api.post("/communities", "owner", json=base)
    assert set(response.get_json()["error"]["fields"]) == {"starts_on", "ends_on"}
    response = api.post("/communities", "owner", json={**base, "starts_on": "2026-03-10", "ends_on": "2026-03-01"})
    assert set(response.get_json()["error"]["fields"]) == {"ends_on"}
    response = api.post("/communities", "owner", json={**base, "starts_on": "10-03-2026", "ends_on": "2026-03-12"})
    assert set(response.get_json()["error"]["fields"]) == {"starts_on"}


def test_practice_has_no_training_dates(api, people):
    response = api.post("/communities", "owner", json={"name": "Praktijk", "kind": "practice",
                                                       "visibility": "public", "join_policy": "open",
                                                       "starts_on": "2026-01-01"})
    assert response.status_code == 422


@pytest.mark.parametrize(("starts", "ends", "phase"), [
    ("2999-01-01", "2999-01-05", "upcoming"),
    ("2000-01-01", "2999-01-05", "running"),
    ("2000-01-01", "2000-01-05", "follow_up"),
])
def test_cohort_phase_follows_the_training_dates(api, people, starts, ends, phase):
    c = api.community("owner", kind="cohort", starts_on=starts, ends_on=ends)
    assert c["phase"] == phase


def test_archived_cohort_is_archived_and_read_only(api, people):
    c = api.community("owner", kind="cohort", starts_on="2000-01-01", ends_on="2000-01-05")
    api.member(c, "member", "owner")
    response = api.patch(f"/communities/{c['slug']}", "owner", json={"archived": True})
    assert response.get_json()["phase"] == "archived" and response.get_json()["archived"] is True
    assert api.patch(f"/communities/{c['slug']}", "member", json={"archived": False}).status_code == 403


def test_only_moderators_edit(api, people):
    c = api.community("owner")
    api.member(c, "mod", "owner", role="moderator")
    api.member(c, "member", "owner")
    assert api.patch(f"/communities/{c['slug']}", "mod", json={"description": "Nieuw"}).status_code == 200
    assert api.patch(f"/communities/{c['slug']}", "member", json={"description": "x"}).status_code == 403
    assert api.patch(f"/communities/{c['slug']}", "outsider", json={"description": "x"}).status_code == 403


def test_private_community_is_invisible_to_outsiders(api, people):
    c = api.community("owner", "Geheim", visibility="private", join_policy="invite")
    missing = api.get("/communities/does-not-exist", "outsider")
    hidden = api.get(f"/communities/{c['slug']}", "outsider")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()
    assert api.get("/communities", "outsider").get_json()["items"] == []
    assert api.get("/communities?q=geheim", "outsider").get_json()["items"] == []
    assert api.post(f"/communities/{c['slug']}/join", "outsider", json={}).status_code == 404


def test_join_open_community(api, people):
    c = api.community("owner")
    response = api.post(f"/communities/{c['slug']}/join", "member")
    assert response.status_code == 200
    assert (response.get_json()["state"], response.get_json()["role"]) == ("active", "member")
    assert api.get(f"/communities/{c['slug']}", "member").get_json()["member_count"] == 2


def test_join_approval_community_waits_for_a_moderator(api, people):
    c = api.community("owner", join_policy="approval")
    assert api.post(f"/communities/{c['slug']}/join", "member").get_json()["state"] == "pending"
    pending = api.get(f"/communities/{c['slug']}/members?state=pending", "owner").get_json()["items"]
    assert [m["user"]["username"] for m in pending] == ["member"]
    assert api.get(f"/communities/{c['slug']}/members?state=pending", "outsider").status_code == 403
    approved = api.patch(f"/communities/{c['slug']}/members/member", "owner", json={"state": "active"})
    assert approved.get_json()["state"] == "active"


def test_refused_request_disappears(api, people):
    c = api.community("owner", join_policy="approval")
    api.post(f"/communities/{c['slug']}/join", "member")
    assert api.delete(f"/communities/{c['slug']}/members/member", "owner").status_code == 204
    assert api.get(f"/communities/{c['slug']}", "member").get_json()["my_state"] is None


def test_invite_only_community_needs_an_invite(api, people):
    c = api.community("owner", join_policy="invite")
    assert api.post(f"/communities/{c['slug']}/join", "member").status_code == 403
    invite = api.post(f"/communities/{c['slug']}/invites", "owner", json={"max_uses": 1}).get_json()
    assert invite["max_uses"] == 1 and invite["url"].endswith(invite["token"]) and invite["expires_at"]
    joined = api.post(f"/communities/{c['slug']}/join", "member", json={"invite": invite["token"]})
    assert joined.get_json()["state"] == "active"
    used_up = api.post(f"/communities/{c['slug']}/join", "outsider", json={"invite": invite["token"]})
    assert used_up.status_code == 403


def test_private_invite_joins_and_used_up_invite_counts_as_none(api, people):
    c = api.community("owner", visibility="private", join_policy="invite")
    token = api.post(f"/communities/{c['slug']}/invites", "owner", json={"max_uses": 1}).get_json()["token"]
    assert api.post(f"/communities/{c['slug']}/join", "member", json={"invite": token}).status_code == 200
    assert api.get(f"/communities/{c['slug']}", "member").status_code == 200
    assert api.post(f"/communities/{c['slug']}/join", "outsider", json={"invite": token}).status_code == 404


def test_invite_without_max_uses_has_no_limit(api, people):
    c = api.community("owner", visibility="private", join_policy="invite")
    invite = api.post(f"/communities/{c['slug']}/invites", "owner", json={}).get_json()
    assert invite["max_uses"] is None
    for name in ("member", "outsider", "mod"):
        assert api.post(f"/communities/{c['slug']}/join", name, json={"invite": invite["token"]}).status_code == 200


def test_expired_invite_counts_as_none(api, people, app):
    from datetime import timedelta

    from community.communities.models import Invite
    from community.extensions import db

    c = api.community("owner", visibility="private", join_policy="invite")
    token = api.post(f"/communities/{c['slug']}/invites", "owner", json={"expires_in_days": 1}).get_json()["token"]
    with app.app_context():
        invite = db.session.query(Invite).one()
        invite.expires_at -= timedelta(days=2)
        db.session.commit()
    assert api.post(f"/communities/{c['slug']}/join", "member", json={"invite": token}).status_code == 404


def test_invite_of_another_community_is_no_invite(api, people):
    a = api.community("owner", visibility="private", join_policy="invite")
    b = api.community("owner", visibility="private", join_policy="invite")
    token = api.post(f"/communities/{a['slug']}/invites", "owner", json={}).get_json()["token"]
    assert api.post(f"/communities/{b['slug']}/join", "member", json={"invite": token}).status_code == 404


def test_invites_are_for_moderators(api, people):
    c = api.community("owner")
    api.member(c, "member", "owner")
    assert api.post(f"/communities/{c['slug']}/invites", "member", json={}).status_code == 403
    bad = api.post(f"/communities/{c['slug']}/invites", "owner", json={"max_uses": 0, "expires_in_days": "x"})
    assert bad.status_code == 400


def test_banned_member_cannot_rejoin_and_is_listed_for_moderators(api, people):
    c = api.community("owner")
    api.member(c, "member", "owner", state="banned")
    response = api.post(f"/communities/{c['slug']}/join", "member")
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "banned"
    banned = api.get(f"/communities/{c['slug']}/members?state=banned", "owner").get_json()["items"]
    assert [m["user"]["username"] for m in banned] == ["member"]
    assert api.post(f"/communities/{c['slug']}/leave", "member").status_code == 204
    assert api.post(f"/communities/{c['slug']}/join", "member").status_code == 403


def test_banned_member_of_private_community_sees_nothing(api, people):
    c = api.community("owner", visibility="private", join_policy="invite")
    api.member(c, "member", "owner", state="banned")
    assert api.get(f"/communities/{c['slug']}", "member").status_code == 404
    assert api.get("/communities", "member").get_json()["items"] == []


def test_unban_makes_an_active_member_again(api, people):
    c = api.community("owner")
    api.member(c, "member", "owner", state="banned")
    response = api.patch(f"/communities/{c['slug']}/members/member", "owner", json={"state": "active"})
    assert response.get_json()["state"] == "active"


def test_mute_until_a_time(api, people):
    c = api.community("owner")
    api.member(c, "member", "owner")
    response = api.patch(f"/communities/{c['slug']}/members/member", "owner",
                         json={"muted_until": "2999-01-01T10:00:00+02:00"})
    assert response.get_json()["muted_until"] == "2999-01-01T08:00:00Z"
    bad = api.patch(f"/communities/{c['slug']}/members/member", "owner", json={"muted_until": "morgen"})
    assert bad.status_code == 422


def test_only_owners_make_moderators(api, people):
    c = api.community("owner")
    api.member(c, "mod", "owner", role="moderator")
    api.member(c, "member", "owner")
    response = api.patch(f"/communities/{c['slug']}/members/member", "mod", json={"role": "moderator"})
    assert response.status_code == 403
    assert api.patch(f"/communities/{c['slug']}/members/member", "mod", json={"state": "banned"}).status_code == 200


def test_moderator_cannot_ban_a_moderator_or_owner(api, people):
    c = api.community("owner")
    api.member(c, "mod", "owner", role="moderator")
    api.member(c, "member", "owner", role="moderator")
    assert api.patch(f"/communities/{c['slug']}/members/member", "mod", json={"state": "banned"}).status_code == 403
    assert api.patch(f"/communities/{c['slug']}/members/owner", "mod", json={"state": "banned"}).status_code == 403


def test_last_owner_cannot_leave_or_be_demoted(api, people):
    api.user("admin", admin=True)
    c = api.community("owner")
    assert api.post(f"/communities/{c['slug']}/leave", "owner").status_code == 409
    assert api.patch(f"/communities/{c['slug']}/members/owner", "admin", json={"role": "member"}).status_code == 409
    assert api.patch(f"/communities/{c['slug']}/members/owner", "admin", json={"state": "banned"}).status_code == 409
    api.member(c, "mod", "owner", role="owner")
    assert api.post(f"/communities/{c['slug']}/leave", "owner").status_code == 204


def _muted(api, c, username, by):
    until = "2999-01-01T00:00:00Z"
    assert api.patch(f"/communities/{c['slug']}/members/{username}", by,
                     json={"muted_until": until}).status_code == 200


def test_muted_moderator_cannot_lift_own_mute(api, people):
    c = api.community("owner")
    api.member(c, "mod", "owner", role="moderator")
    _muted(api, c, "mod", "owner")
    response = api.patch(f"/communities/{c['slug']}/members/mod", "mod", json={"muted_until": None})
    assert (response.status_code, response.get_json()["error"]["code"]) == (403, "forbidden")
    posted = api.post(f"/communities/{c['slug']}/threads", "mod", json={"title": "Nog steeds", "body": "stil"})
    assert (posted.status_code, posted.get_json()["error"]["code"]) == (403, "muted")


@pytest.mark.parametrize("change", [{"state": "banned"}, {"muted_until": "2999-01-01T00:00:00Z"},
                                    {"role": "owner"}, {"role": "member"}, {"state": "active"}])
@pytest.mark.parametrize("who", ["mod", "owner", "admin"])
def test_nobody_changes_their_own_membership(api, people, who, change):
    api.user("admin", admin=True)
    c = api.community("owner")
    api.member(c, "mod", "owner", role="moderator")
    if who == "admin":
        api.member(c, "admin", "owner", role="owner")
    response = api.patch(f"/communities/{c['slug']}/members/{who}", who, json=change)
    assert (response.status_code, response.get_json()["error"]["code"]) == (403, "forbidden")
    mine = api.get(f"/communities/{c['slug']}", who).get_json()
    assert mine["my_state"] == "active" and mine["my_role"] in ("owner", "moderator")


def test_moderator_cannot_unban_a_banned_moderator(api, people):
    c = api.community("owner")
    api.member(c, "mod", "owner", role="moderator")
    api.member(c, "member", "owner", role="moderator")
    assert api.patch(f"/communities/{c['slug']}/members/member", "owner", json={"state": "banned"}).status_code == 200
    response = api.patch(f"/communities/{c['slug']}/members/member", "mod", json={"state": "active"})
    assert response.status_code == 403


def test_leave_removes_membership(api, people):
    c = api.community("owner")
    api.member(c, "member", "owner")
    assert api.post(f"/communities/{c['slug']}/leave", "member").status_code == 204
    assert api.get(f"/communities/{c['slug']}", "member").get_json()["my_state"] is None


def test_member_list_is_paginated(api, people):
    c = api.community("owner")
    for name in ("mod", "member", "outsider"):
        api.member(c, name, "owner")
    first = api.get(f"/communities/{c['slug']}/members?limit=2", "owner").get_json()
    second = api.get(f"/communities/{c['slug']}/members?limit=2&cursor={first['next']}", "owner").get_json()
    names = [m["user"]["username"] for m in first["items"] + second["items"]]
    assert names == sorted(["owner", "mod", "member", "outsider"]) and second["next"] is None


def test_community_list_pages_and_filters(api, people):
    for name in ("Alfa", "Bravo", "Charlie", "Delta", "Echo"):
        api.community("owner", name)
    seen, cursor = [], None
    while True:
        page = api.get("/communities?limit=2" + (f"&cursor={cursor}" if cursor else ""), "outsider").get_json()
        seen += [c["name"] for c in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == ["Alfa", "Bravo", "Charlie", "Delta", "Echo"]
    assert [c["name"] for c in api.get("/communities?q=char", "outsider").get_json()["items"]] == ["Charlie"]
    assert api.get("/communities?mine=1", "outsider").get_json()["items"] == []
    assert len(api.get("/communities?mine=1", "owner").get_json()["items"]) == 5


def test_bad_paging_arguments(api, people):
    assert api.get("/communities?limit=0", "owner").status_code == 422
    assert api.get("/communities?limit=abc", "owner").status_code == 422
    assert api.get("/communities?cursor=garbage", "owner").status_code == 400
    assert api.get("/communities?limit=1000", "owner").status_code == 200


def test_admin_sees_and_moderates_everything(api, people):
    admin = api.user("admin", admin=True)
    c = api.community("owner", visibility="private", join_policy="invite")
    assert api.get(f"/communities/{c['slug']}", admin).status_code == 200
    assert api.patch(f"/communities/{c['slug']}", admin, json={"name": "Hernoemd"}).status_code == 200


def test_community_creation_can_be_limited_to_admins(make_app):
    from tests.factories import Api

    api = Api(make_app(COMMUNITY_CREATORS="admins"))
    anna = api.user("anna")
    admin = api.user("admin", admin=True)
    body = {"name": "Nieuw", "kind": "practice", "visibility": "public", "join_policy": "open"}
    assert api.post("/communities", anna, json=body).status_code == 403
    assert api.post("/communities", admin, json=body).status_code == 201


def test_search_takes_percent_and_underscore_literally(api, people):
    api.community("owner", "Kassa 100% klantvriendelijk")
    api.community("owner", "Kassa 1000 artikelen")
    found = api.get("/communities?q=100%25", "outsider").get_json()["items"]
    assert [c["name"] for c in found] == ["Kassa 100% klantvriendelijk"]
    assert api.get("/communities?q=_", "outsider").get_json()["items"] == []


def test_member_search_takes_underscore_literally(api):
    owner = api.user("eigenaar")
    for name in ("jan_de_vries", "janXdeXvries"):
        api.user(name)
    c = api.community(owner)
    for name in ("jan_de_vries", "janXdeXvries"):
        api.member(c, name, owner)
    found = api.get(f"/communities/{c['slug']}/members?q=jan_", owner).get_json()["items"]
    assert [m["user"]["username"] for m in found] == ["jan_de_vries"]


def test_invite_url_is_built_from_the_site_url_never_the_host_header(make_app):
    from tests.factories import Api

    api = Api(make_app(SITE_URL="https://leerplein.example.org"))
    owner = api.user("owner")
    c = api.community(owner, visibility="private", join_policy="invite")
    invite = api.post(f"/communities/{c['slug']}/invites", owner, json={},
                      headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"}).get_json()
    assert invite["url"] == f"https://leerplein.example.org/invite/{invite['token']}"


def test_the_site_url_defaults_to_the_local_server(api, people):
    c = api.community("owner", join_policy="invite")
    invite = api.post(f"/communities/{c['slug']}/invites", "owner", json={},
                      headers={"Host": "evil.example"}).get_json()
    assert invite["url"] == f"http://127.0.0.1:5000/invite/{invite['token']}"


def test_community_name_loses_bidi_controls_and_zero_width_characters(api, people):
    c = api.community("owner", "\u202eNoord\u202c winkel\u2066\u200b\ufeff")
    assert c["name"] == "Noord winkel"
    empty = api.post("/communities", "owner", json={"name": "\u200b\u200b\u200b\u200b", "kind": "practice",
                                                    "visibility": "public", "join_policy": "open"})
    assert empty.status_code == 422 and "name" in empty.get_json()["error"]["fields"]


def test_community_description_keeps_its_lines_but_not_nul(api, people):
    c = api.community("owner", "Winkel", description="Eerste regel\x00\r\nTweede\tregel")
    assert c["description"] == "Eerste regel\nTweede\tregel"
