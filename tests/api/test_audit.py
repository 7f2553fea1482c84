"""The audit log: each moderation action is one entry, written from its event; moderators read it; nothing
can change it."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text

from community.extensions import db
from tests.api.test_discussions import sign_in


@pytest.fixture
def c(api):
    community = api.team("Winkelvloer", ("sanne", "kevin"), join_policy="approval", visibility="private")
    community["setup"] = {e["id"] for e in log(api, community, limit=100)}  # members came in through invites
    return community


def log(api, c, user="owner", query="", limit=None):
    separator = "&" if "?" in query else "?"
    response = api.get(f"/communities/{c['slug']}/audit{query}" + (f"{separator}limit={limit}" if limit else ""), user)
    assert response.status_code == 200, response.get_json()
    return [e for e in response.get_json()["items"] if e["id"] not in c.get("setup", ())]


def test_each_moderation_action_is_logged_with_actor_target_and_time(api, c):
    slug = c["slug"]
    assert api.patch(f"/communities/{slug}/members/sanne", "mod",
                     json={"muted_until": "2099-01-01T10:00:00Z"}).status_code == 200
    assert api.patch(f"/communities/{slug}/members/sanne", "mod", json={"muted_until": None}).status_code == 200
    assert api.patch(f"/communities/{slug}/members/kevin", "owner", json={"role": "moderator"}).status_code == 200
    thread = api.post(f"/communities/{slug}/threads", "sanne", json={"title": "Kassa", "body": "De kassa hapert."})
    thread = thread.get_json()
    assert api.patch(f"/threads/{thread['id']}", "mod", json={"pinned": True, "locked": True}).status_code == 200
    assert api.post(f"/communities/{slug}/invites", "mod", json={"max_uses": 3}).status_code == 201
    assert api.patch(f"/communities/{slug}/members/sanne", "mod", json={"state": "banned"}).status_code == 200

    entries = log(api, c)
    assert [(e["action"], e["actor"], e["target"]["type"], e["target"]["label"]) for e in reversed(entries)] == [
        ("muted", "mod", "user", "sanne"), ("unmuted", "mod", "user", "sanne"),
        ("role_changed", "owner", "user", "kevin"), ("pinned", "mod", "thread", "Kassa"),
        ("locked", "mod", "thread", "Kassa"), ("invite_created", "mod", "invite", ""),
        ("banned", "mod", "user", "sanne")]
    assert entries[-1]["detail"] == "2099-01-01T10:00:00Z"  # the mute, with its end
    assert entries[-3]["detail"] == "moderator"
    assert entries[1]["action"] == "invite_created" and entries[1]["detail"].endswith("Z")  # its expiry, ISO 8601
    assert all(e["created_at"].endswith("Z") for e in entries)


def test_deleting_your_own_content_is_not_moderation_but_a_moderator_deleting_it_is(api, c):
    slug = c["slug"]
    thread = api.post(f"/communities/{slug}/threads", "sanne", json={"title": "Rooster", "body": "Wie ruilt?"})
    thread = thread.get_json()
    own = api.post(f"/threads/{thread['id']}/posts", "sanne", json={"body": "Ik al."}).get_json()
    theirs = api.post(f"/threads/{thread['id']}/posts", "kevin", json={"body": "Koop nu goedkoop!"}).get_json()
    assert api.delete(f"/posts/{own['id']}", "sanne").status_code in (200, 204)
    assert api.delete(f"/posts/{theirs['id']}", "mod").status_code in (200, 204)
    [entry] = log(api, c)
    assert (entry["action"], entry["actor"], entry["target"]) == (
        "content_deleted", "mod", {"type": "post", "id": theirs["id"], "label": "Rooster"})


def test_only_moderators_read_the_log_and_outsiders_learn_nothing(api, c):
    api.patch(f"/communities/{c['slug']}/members/sanne", "mod", json={"state": "banned"})
    assert api.get(f"/communities/{c['slug']}/audit", "kevin").status_code == 403
    assert api.get(f"/communities/{c['slug']}/audit", "outsider").status_code == 404
    assert api.get(f"/communities/{c['slug']}/audit").status_code == 401
    assert [e["action"] for e in log(api, c, "mod")] == ["banned"]


def test_filters_by_action_and_actor_and_pages_newest_first(api, c):
    slug = c["slug"]
    for n in range(3):
        api.patch(f"/communities/{slug}/members/sanne", "mod", json={"muted_until": f"2099-01-0{n + 1}T10:00:00Z"})
    api.patch(f"/communities/{slug}/members/kevin", "owner", json={"state": "banned"})
    assert [e["action"] for e in log(api, c, query="?action=banned")] == ["banned"]
    assert {e["actor"] for e in log(api, c, query="?actor=MOD")} == {"mod"}
    first = api.get(f"/communities/{slug}/audit?limit=2&actor=mod", "owner").get_json()
    second = api.get(f"/communities/{slug}/audit?limit=2&actor=mod&cursor={first['next']}", "owner").get_json()
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 3 and second["next"] is None
    bad = api.get(f"/communities/{slug}/audit?action=deleted_everything", "owner")
    assert bad.status_code == 422 and "action" in bad.get_json()["error"]["fields"]


def test_the_csv_export_has_every_entry_and_no_cell_a_spreadsheet_would_run(api, c):
    slug = c["slug"]
    thread = api.post(f"/communities/{slug}/threads", "sanne", json={"title": "=HYPERLINK(\"http://x\")",
                                                                    "body": "Kijk hier."}).get_json()
    api.patch(f"/threads/{thread['id']}", "mod", json={"pinned": True})
    response = api.get(f"/communities/{slug}/audit?format=csv", "owner")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["id", "created_at", "actor", "action"]
    [row] = [r for r in rows[1:] if int(r[0]) not in c["setup"]]
    assert row[3] == "pinned" and row[6].startswith("'=")


def test_the_database_refuses_to_change_or_delete_an_entry(api, app, c):
    api.patch(f"/communities/{c['slug']}/members/sanne", "mod", json={"state": "banned"})
    with app.app_context():
        for statement in ("UPDATE audit_entries SET action = 'unbanned'", "DELETE FROM audit_entries"):
            with pytest.raises(Exception, match="append-only"):
                with db.engine.begin() as conn:
                    conn.execute(text(statement))
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT action FROM audit_entries ORDER BY id DESC")).scalars().first() == "banned"


def test_the_log_page_shows_moderators_who_did_what_in_their_language(api, app, c):
    api.patch(f"/communities/{c['slug']}/members/sanne", "mod", json={"state": "banned"})
    browser = app.test_client()
    sign_in(browser, "mod")
    page = browser.get(f"/c/{c['slug']}/audit", headers={"Accept-Language": "nl"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Moderatielogboek" in html
    assert "<strong>mod</strong>" in html and "blokkeerde" in html and "sanne" in html
    assert browser.get(f"/c/{c['slug']}/audit?action=pinned").get_data(as_text=True).count("audit__entry") == 0
    assert f"/api/v1/communities/{c['slug']}/audit?format=csv" in html
    other = app.test_client()
    sign_in(other, "kevin")
    assert other.get(f"/c/{c['slug']}/audit").status_code == 403
