"""The trainer's insight: a community's figures for its moderators, and inviting silent members into a thread."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from community.chat.models import ChatMessage
from community.discussions.models import Post
from community.extensions import db
from community.qa.models import Answer, Question
from community.timeutil import utcnow


def _set_created(app, model, item_id: int, when) -> None:
    with app.app_context():
        db.session.execute(update(model).where(model.id == item_id).values(created_at=when))
        db.session.commit()


@pytest.fixture
def c(api):
    community = api.team("Winkelvloer", ("sanne", "kevin", "lotte", "pieter"))
    return community


def stats(api, c, user="mod"):
    response = api.get(f"/communities/{c['slug']}/stats", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def world(api, app, c):
    """A small known community: who wrote what, and when the answers came."""
    slug = c["slug"]
    now = utcnow()
    thread = api.post(f"/communities/{slug}/threads", "sanne", json={"title": "Kassarooster", "body": "Wie ruilt?"})
    thread = thread.get_json()
    kept = api.post(f"/threads/{thread['id']}/posts", "kevin", json={"body": "Ik wel."}).get_json()
    for author in ("kevin", "lotte"):  # written and deleted: counts for nothing, breaks no silence
        gone = api.post(f"/threads/{thread['id']}/posts", author, json={"body": "Oeps."}).get_json()
        assert api.delete(f"/posts/{gone['id']}", author).status_code == 204
    old = api.post(f"/threads/{thread['id']}/posts", "mod", json={"body": "Goed geregeld."}).get_json()
    _set_created(app, Post, old["id"], now - timedelta(days=10))  # the moderator: not active this week

    assert api.call("PUT", "/users/me/expertise", "sanne", json={"tags": ["kassa"]}).status_code == 200
    asked = {}
    for key, author, answerer, minutes in (("q1", "sanne", "kevin", 30), ("q2", "kevin", "sanne", 90),
                                           ("q3", "sanne", None, None)):
        question = api.post(f"/communities/{slug}/questions", author,
                            json={"title": f"Hoe werkt de kassa ({key})?", "body": "Graag uitleg.",
                                  "tags": ["kassa"]}).get_json()
        asked[key] = question["id"]
        _set_created(app, Question, question["id"], now - timedelta(days=2, hours=int(key[1])))
        if answerer:
            answer = api.post(f"/questions/{question['id']}/answers", answerer, json={"body": "Zo."}).get_json()
            _set_created(app, Answer, answer["id"],
                         now - timedelta(days=2, hours=int(key[1])) + timedelta(minutes=minutes))
    shared = api.post(f"/communities/{slug}/resources", "pieter", json={"title": "Handleiding kassa",
                                                                       "url": "https://example.org/kassa"})
    assert shared.status_code == 201
    return {"thread": thread, "kept": kept, "questions": asked}


def test_figures_count_members_activity_questions_and_answer_times(api, c, world):
    figures = stats(api, c)
    assert figures["members"] == 6  # owner, mod, sanne, kevin, lotte, pieter
    assert figures["active_members_7d"] == 3  # sanne, kevin and pieter (a resource); mod wrote 10 days ago
    assert (figures["questions"], figures["unanswered"]) == (3, 1)
    assert figures["median_first_answer_minutes"] == 60.0  # 30 and 90 minutes
    assert figures["top_contributors"][:2] == [{"username": "sanne", "count": 4}, {"username": "kevin", "count": 3}]
    assert {(t["username"], t["count"]) for t in figures["top_contributors"][2:]} == {("mod", 1), ("pieter", 1)}
    assert figures["experts_by_tag"] == [{"tag": "kassa", "experts": ["sanne"]}]


def test_deleted_posts_count_for_nothing_and_silent_members_never_wrote(api, c, world):
    figures = stats(api, c)
    # lotte only wrote a reply she deleted; pieter only shared a link; the owner wrote nothing.
    assert figures["silent_members"] == ["owner", "lotte", "pieter"]
    assert {"username": "lotte", "count": 1} not in figures["top_contributors"]
    assert sum(t["count"] for t in figures["top_contributors"] if t["username"] == "kevin") == 3


def test_unanswered_questions_come_oldest_first_with_how_long_they_waited(api, c, world):
    [waiting] = stats(api, c)["unanswered_questions"]
    assert waiting["id"] == world["questions"]["q3"] and waiting["url"] == f"/questions/{waiting['id']}"
    assert abs(waiting["waited_minutes"] - (2 * 24 + 3) * 60) <= 2  # asked two days and three hours ago
    weeks = stats(api, c)["weeks"]
    assert len(weeks) == 12 and sum(w["questions"] for w in weeks) == 3
    assert sum(w["contributions"] for w in weeks) == 9  # 3 posts kept, 3 questions, 2 answers, 1 resource


def test_a_chat_message_this_week_makes_a_member_active(api, app, c, world):
    with app.app_context():
        from community.accounts.models import User
        owner = db.session.scalar(select(User.id).where(User.username == "owner"))
        db.session.add(ChatMessage(community_id=c["id"], author_id=owner, body="Hoi", body_html="<p>Hoi</p>"))
        db.session.commit()
    figures = stats(api, c)
    assert figures["active_members_7d"] == 4 and "owner" in figures["silent_members"]


def test_an_empty_community_has_no_median_and_everyone_is_silent(api, c):
    figures = stats(api, c)
    assert figures["median_first_answer_minutes"] is None and figures["questions"] == 0
    assert figures["top_contributors"] == [] and len(figures["silent_members"]) == 6


def test_only_moderators_owners_and_admins_see_the_figures(api, c):
    api.user("beheer", admin=True)
    slug = c["slug"]
    assert api.get(f"/communities/{slug}/stats").status_code == 401
    assert api.get(f"/communities/{slug}/stats", "kevin").status_code == 403
    assert api.get(f"/communities/{slug}/stats", "outsider").status_code == 403
    for user in ("owner", "mod", "beheer"):
        response = api.get(f"/communities/{slug}/stats", user)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    private = api.community("owner", "Besloten", visibility="private", join_policy="invite")
    api.member(private, "kevin", "owner")
    refused = api.get(f"/communities/{private['slug']}/stats", "outsider")
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "not_found"
    assert api.get(f"/communities/{private['slug']}/stats", "kevin").get_json()["error"]["code"] == "forbidden"


def test_an_invitation_into_a_thread_notifies_the_member(api, c, world):
    thread_id = world["thread"]["id"]
    response = api.post(f"/threads/{thread_id}/invitations", "mod", json={"usernames": ["Lotte", "lotte"]})
    assert response.status_code == 201 and response.get_json() == {"thread_id": thread_id, "invited": ["lotte"]}
    [note] = [n for n in api.get("/notifications", "lotte").get_json()["items"] if n["kind"] == "thread_invite"]
    assert note["url"] == f"/threads/{thread_id}" and note["title"] == "Kassarooster"
    assert note["actor"]["username"] == "mod" and note["community"] == c["slug"]


def test_only_moderators_invite_and_only_active_members_are_invited(api, c, world):
    thread_id = world["thread"]["id"]
    assert api.post(f"/threads/{thread_id}/invitations", "kevin", json={"usernames": ["lotte"]}).status_code == 403
    assert api.post(f"/threads/{thread_id}/invitations", json={"usernames": ["lotte"]}).status_code == 401
    refused = api.post(f"/threads/{thread_id}/invitations", "mod", json={"usernames": ["lotte", "outsider"]})
    assert refused.status_code == 422 and "outsider" in refused.get_json()["error"]["fields"]["usernames"]
    assert [n for n in api.get("/notifications", "lotte").get_json()["items"] if n["kind"] == "thread_invite"] == []
    assert api.post("/threads/999999/invitations", "mod", json={"usernames": ["lotte"]}).status_code == 404


@pytest.mark.parametrize("body, status", [
    ({}, 422), ({"usernames": []}, 422), ({"usernames": None}, 422), ({"usernames": [""]}, 422),
    ({"usernames": [f"x{n}" for n in range(51)]}, 422), ({"usernames": "lotte"}, 400), ({"usernames": [3]}, 400),
    ({"usernames": {"a": 1}}, 400), ([], 400)])
def test_a_wrong_invitation_gets_the_contract_error_and_never_a_500(api, c, world, body, status):
    response = api.post(f"/threads/{world['thread']['id']}/invitations", "mod", json=body)
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == ("invalid" if status == 422 else "bad_request") and error["message"]
    if status == 422:
        assert "usernames" in error["fields"]


@pytest.mark.parametrize("kept_seconds", [0, 30], ids=["counted-each-time", "cached"])
def test_the_figures_follow_a_deletion_and_a_new_member_at_once(api, app, c, world, kept_seconds):
    app.config["INSIGHT_CACHE_SECONDS"] = kept_seconds  # a cache must forget on the write
    before = stats(api, c)
    assert api.delete(f"/posts/{world['kept']['id']}", "kevin").status_code == 204
    api.user("nieuw")
    api.member(c, "nieuw", "owner")
    after = stats(api, c)
    assert {"username": "kevin", "count": 2} in after["top_contributors"]
    assert (after["members"], after["silent_members"][-1]) == (before["members"] + 1, "nieuw")


def test_nobody_is_invited_into_a_locked_thread_or_an_archived_community(api, c, world):
    thread_id = world["thread"]["id"]
    assert api.patch(f"/threads/{thread_id}", "mod", json={"locked": True}).status_code == 200
    locked = api.post(f"/threads/{thread_id}/invitations", "mod", json={"usernames": ["lotte"]})
    assert locked.status_code == 403 and locked.get_json()["error"]["code"] == "locked"
    assert api.patch(f"/threads/{thread_id}", "mod", json={"locked": False}).status_code == 200
    assert api.patch(f"/communities/{c['slug']}", "owner", json={"archived": True}).status_code == 200
    archived = api.post(f"/threads/{thread_id}/invitations", "mod", json={"usernames": ["lotte"]})
    assert archived.status_code == 403 and archived.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("kept_seconds", [0, 30], ids=["counted-each-time", "cached"])
def test_a_change_of_expertise_shows_in_the_experts_at_once(api, app, c, world, kept_seconds):
    app.config["INSIGHT_CACHE_SECONDS"] = kept_seconds
    assert stats(api, c)["experts_by_tag"] == [{"tag": "kassa", "experts": ["sanne"]}]
    assert api.call("PUT", "/users/me/expertise", "kevin", json={"tags": ["kassa"]}).status_code == 200
    [kassa] = stats(api, c)["experts_by_tag"]
    assert set(kassa["experts"]) == {"sanne", "kevin"}


def test_no_query_of_the_figures_reads_a_content_table_whole(api, app, c, world):
    """Every statement of a stats request, through SQLite's EXPLAIN QUERY PLAN: an index, never a full scan."""
    import re

    from sqlalchemy import event

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    with app.app_context():
        engine = db.engine
    seen = []
    keep = lambda _c, _k, statement, parameters, *_a: seen.append((statement, parameters))  # noqa: E731
    event.listen(engine, "before_cursor_execute", keep)
    try:
        stats(api, c)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    scans = []
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            for statement, parameters in seen:
                if statement.lstrip().upper().startswith("SELECT"):
                    for *_ids, detail in raw.cursor().execute("EXPLAIN QUERY PLAN " + statement, parameters):
                        found = re.match(r"SCAN (\w+)(?! USING)", detail)
                        if found and found.group(1) in ("posts", "threads", "questions", "answers", "resources",
                                                         "chat_messages", "memberships"):
                            scans.append(detail)
        finally:
            raw.close()
    assert len(seen) > 10 and scans == [], scans


@pytest.mark.parametrize("kept_seconds", [0, 30], ids=["counted-each-time", "cached"])
def test_hidden_content_counts_for_nothing(api, app, c, world, kept_seconds):
    """Hidden by a moderator is moderated away: it leaves the contributions as a deletion does."""
    app.config["INSIGHT_CACHE_SECONDS"] = kept_seconds
    before = {row["username"]: row["count"] for row in stats(api, c)["top_contributors"]}
    flag = api.post("/flags", "sanne", json={"target_type": "post", "target_id": world["kept"]["id"],
                                             "reason": "Reclame"}).get_json()
    assert api.post(f"/flags/{flag['id']}/resolve", "mod", json={"action": "hide"}).status_code == 200
    after = {row["username"]: row["count"] for row in stats(api, c)["top_contributors"]}
    assert after["kevin"] == before["kevin"] - 1
