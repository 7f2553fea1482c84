"""A cohort's life after its training (issue 15): follow-up prompts posted by the scheduler on their day, once,
and phase changes told once, however many processes look."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from community import events, scheduler
from community.cohorts.events import PhaseChanged
from community.timeutil import today
from tests.factories import Api

TODAY = today()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def code(response):
    return response.get_json()["error"]["code"]


def notifications(api, user, kind):
    return [n for n in api.get("/notifications?limit=100", user).get_json()["items"] if n["kind"] == kind]


def build(api):
    for name in ("owner", "mod", "sanne", "kevin", "outsider"):
        api.user(name)
    cohort = api.community("owner", "Kassatraining", kind="cohort", visibility="private", join_policy="invite",
                           starts_on=day(-12), ends_on=day(-1))
    api.member(cohort, "mod", "owner", role="moderator")
    for name in ("sanne", "kevin"):
        api.member(cohort, name, "owner")
    return cohort


@pytest.fixture
def c(api):
    return build(api)


def schedule(api, c, user="mod", **fields):
    body = {"title": "Twee weken later", "body": "Wat heb je **toegepast**?", "post_on": day(1), **fields}
    return api.post(f"/communities/{c['slug']}/follow-ups", user, json=body)


def run_jobs(app, monkeypatch, *, on: date | None = None) -> dict[str, int]:
    """The scheduler's look, as if it were the day ``on`` (default: today)."""
    from community.cohorts import jobs

    monkeypatch.setattr(jobs, "today", lambda: on or TODAY)
    with app.app_context():
        return scheduler.run_due_jobs()


def follow_ups(api, c, user="mod"):
    response = api.get(f"/communities/{c['slug']}/follow-ups", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


# --- follow-up prompts --------------------------------------------------------------------------

def test_a_follow_up_is_posted_on_its_day_once_in_the_moderators_name_and_members_are_told(app, api, c,
                                                                                            monkeypatch):
    created = schedule(api, c)
    assert created.status_code == 201, created.get_json()
    prompt = created.get_json()
    assert (prompt["state"], prompt["post_on"], prompt["thread_id"]) == ("scheduled", day(1), None)
    assert prompt["created_by"]["username"] == "mod"

    assert run_jobs(app, monkeypatch)["follow_ups"] == 0  # not its day yet
    assert notifications(api, "sanne", "follow_up") == []
    assert run_jobs(app, monkeypatch, on=TODAY + timedelta(days=1))["follow_ups"] == 1
    assert run_jobs(app, monkeypatch, on=TODAY + timedelta(days=2))["follow_ups"] == 0  # posted once

    [posted] = follow_ups(api, c)
    assert posted["state"] == "posted" and posted["thread_id"] is not None
    thread = api.get(f"/threads/{posted['thread_id']}", "sanne").get_json()
    assert thread["title"] == "Twee weken later" and thread["author"]["username"] == "mod"
    assert "<strong>toegepast</strong>" in thread["posts"][0]["body_html"]
    threads = api.get(f"/communities/{c['slug']}/threads", "kevin").get_json()["items"]
    assert [t["id"] for t in threads] == [posted["thread_id"]]
    for member in ("sanne", "kevin", "owner"):
        [told] = notifications(api, member, "follow_up")
        assert told["title"] == "Twee weken later" and told["url"] == f"/threads/{posted['thread_id']}"
    assert notifications(api, "mod", "follow_up") == []  # the author is not told of their own prompt
    assert notifications(api, "outsider", "follow_up") == []

    from tests.api.test_discussions import sign_in

    client = app.test_client()
    sign_in(client, "sanne")
    assert "asks how it is going after the training" in client.get("/notifications").get_data(as_text=True)


def test_two_server_processes_on_one_database_post_a_follow_up_once(make_app, monkeypatch):
    first = make_app()
    second = make_app(SQLALCHEMY_DATABASE_URI=first.config["SQLALCHEMY_DATABASE_URI"])
    api = Api(first)
    c = build(api)
    assert schedule(api, c, post_on=day(0)).status_code == 201
    assert schedule(api, c, title="Een maand later", post_on=day(0)).status_code == 201

    barrier, done = threading.Barrier(2), []

    def look(app):
        with app.app_context():
            barrier.wait()
            done.append(scheduler.run_due_jobs()["follow_ups"])

    workers = [threading.Thread(target=look, args=(app,)) for app in (first, second)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(done) == 2
    assert run_jobs(second, monkeypatch)["follow_ups"] == 0
    assert {p["state"] for p in follow_ups(api, c)} == {"posted"}
    assert len(api.get(f"/communities/{c['slug']}/threads", "sanne").get_json()["items"]) == 2
    assert len(notifications(api, "sanne", "follow_up")) == 2
    for app in (first, second):
        with app.app_context():
            from community.extensions import db
            db.session.remove()
            db.engine.dispose()


def test_a_scheduled_follow_up_can_be_cancelled_and_a_posted_one_cannot(app, api, c, monkeypatch):
    cancelled = schedule(api, c).get_json()
    assert api.delete(f"/follow-ups/{cancelled['id']}", "mod").status_code == 204
    assert follow_ups(api, c) == []
    assert api.delete(f"/follow-ups/{cancelled['id']}", "mod").status_code == 404
    assert run_jobs(app, monkeypatch, on=TODAY + timedelta(days=5))["follow_ups"] == 0

    posted = schedule(api, c, post_on=day(0)).get_json()
    assert run_jobs(app, monkeypatch)["follow_ups"] == 1
    response = api.delete(f"/follow-ups/{posted['id']}", "owner")
    assert response.status_code == 409 and code(response) == "conflict"
    assert [p["state"] for p in follow_ups(api, c)] == ["posted"]


def test_a_follow_up_comes_after_the_training_never_in_the_past_and_within_the_limits(api):
    for name in ("owner", "mod"):
        api.user(name)
    running = api.community("owner", "Lopende training", kind="cohort", starts_on=day(-2), ends_on=day(7))
    api.member(running, "mod", "owner", role="moderator")

    before_the_end = schedule(api, running, post_on=day(3))
    assert before_the_end.status_code == 422 and set(before_the_end.get_json()["error"]["fields"]) == {"post_on"}
    assert schedule(api, running, post_on=day(7)).status_code == 201  # the last day of the training will do
    past = schedule(api, running, post_on=day(-1))
    assert past.status_code == 422 and "post_on" in past.get_json()["error"]["fields"]

    bad = schedule(api, running, title="", body=" ", post_on="volgende week")
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"title", "body", "post_on"}
    too_long = schedule(api, running, title="x" * 201, post_on=day(8))
    assert too_long.status_code == 422 and set(too_long.get_json()["error"]["fields"]) == {"title"}
    missing = api.post(f"/communities/{running['slug']}/follow-ups", "mod", json={"title": "Hoe gaat het?"})
    assert missing.status_code == 422 and {"body", "post_on"} <= set(missing.get_json()["error"]["fields"])

    practice = api.community("owner", "Vakgroep kassa")
    response = schedule(api, practice, user="owner", post_on=day(1))
    assert response.status_code == 403 and code(response) == "forbidden"


def test_only_moderators_schedule_see_and_cancel_follow_ups_and_outsiders_learn_nothing(api, c):
    prompt = schedule(api, c).get_json()
    slug = c["slug"]
    for user, status in ((None, 401), ("kevin", 403), ("outsider", 404)):
        assert api.get(f"/communities/{slug}/follow-ups", user).status_code == status
        assert schedule(api, c, user=user).status_code == status
        assert api.delete(f"/follow-ups/{prompt['id']}", user).status_code == status
    assert [p["id"] for p in follow_ups(api, c, "owner")] == [prompt["id"]]


def test_a_follow_up_sent_again_with_the_same_idempotency_key_is_scheduled_once(api, c):
    key = {"headers": {"Idempotency-Key": "follow-up-1"}}
    body = {"title": "Twee weken later", "body": "Wat heb je toegepast?", "post_on": day(1)}
    first = api.post(f"/communities/{c['slug']}/follow-ups", "mod", json=body, **key)
    again = api.post(f"/communities/{c['slug']}/follow-ups", "mod", json=body, **key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.get_json() == again.get_json()
    assert len(follow_ups(api, c)) == 1


def test_a_follow_up_whose_writer_left_is_not_posted_in_anyone_elses_name(app, api, c, monkeypatch):
    prompt = schedule(api, c, post_on=day(0)).get_json()
    assert api.patch(f"/communities/{c['slug']}/members/mod", "owner", json={"state": "banned"}).status_code == 200
    assert run_jobs(app, monkeypatch)["follow_ups"] == 0
    [failed] = follow_ups(api, c, "owner")
    assert (failed["id"], failed["state"], failed["thread_id"]) == (prompt["id"], "failed", None)
    assert api.get(f"/communities/{c['slug']}/threads", "sanne").get_json()["items"] == []
    assert run_jobs(app, monkeypatch)["follow_ups"] == 0  # not tried again at every look


# --- phases ---------------------------------------------------------------------------------------

@pytest.fixture
def phase_events():
    seen: list[PhaseChanged] = []
    listener = events.listen(PhaseChanged)(seen.append)
    yield seen
    events._listeners[PhaseChanged].remove(listener)


def test_a_cohort_entering_its_follow_up_phase_is_told_once(make_app, monkeypatch, phase_events):
    first = make_app()
    second = make_app(SQLALCHEMY_DATABASE_URI=first.config["SQLALCHEMY_DATABASE_URI"])
    api = Api(first)
    for name in ("owner", "sanne"):
        api.user(name)
    cohort = api.community("owner", "Heftrucktraining", kind="cohort", starts_on=day(-3), ends_on=day(3))
    api.member(cohort, "sanne", "owner")
    assert run_jobs(first, monkeypatch)["cohort_phases"] == 0  # first sight: remembered, nothing changed
    assert run_jobs(second, monkeypatch)["cohort_phases"] == 0

    # The training ends early: the calendar now says follow_up.
    response = api.patch(f"/communities/{cohort['slug']}", "owner", json={"ends_on": day(-1)})
    assert response.get_json()["phase"] == "follow_up"
    assert run_jobs(first, monkeypatch)["cohort_phases"] == 1
    assert run_jobs(second, monkeypatch)["cohort_phases"] == 0
    assert run_jobs(first, monkeypatch)["cohort_phases"] == 0
    community_id = cohort["id"]
    assert [(e.community_id, e.old, e.new) for e in phase_events] == [(community_id, "running", "follow_up")]
    [told] = notifications(api, "sanne", "phase_changed")
    assert told["community"] == cohort["slug"] and told["url"] == f"/c/{cohort['slug']}"
    assert len(notifications(api, "owner", "phase_changed")) == 1

    api.patch(f"/communities/{cohort['slug']}", "owner", json={"archived": True})
    assert run_jobs(first, monkeypatch)["cohort_phases"] == 1
    assert phase_events[-1].new == "archived"
    assert len(notifications(api, "sanne", "phase_changed")) == 1  # only entering follow_up is told
    for app in (first, second):
        with app.app_context():
            from community.extensions import db
            db.session.remove()
            db.engine.dispose()


def test_moderators_schedule_and_cancel_follow_ups_on_their_page(app, api, c):
    import re

    from tests.api.test_discussions import sign_in

    prompt = schedule(api, c, title="Een maand later").get_json()
    client = app.test_client()
    csrf = sign_in(client, "mod")
    page = client.get(f"/c/{c['slug']}/follow-ups")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Een maand later" in html and 'name="post_on"' in html
    assert f'href="/c/{c["slug"]}/follow-ups"' in client.get(f"/c/{c['slug']}").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    sent = client.post(f"/c/{c['slug']}/follow-ups", data={
        "csrf_token": csrf, "idempotency_key": key, "title": "Na de training", "body": "Hoe gaat het nu?",
        "post_on": day(2)})
    assert sent.status_code == 302
    refused = client.post(f"/c/{c['slug']}/follow-ups", data={
        "csrf_token": csrf, "title": "Te vroeg", "body": "Nu al?", "post_on": day(-3)})
    assert refused.status_code == 422 and 'name="post_on"' in refused.get_data(as_text=True)
    assert client.post(f"/c/{c['slug']}/follow-ups/{prompt['id']}/cancel",
                       data={"csrf_token": csrf}).status_code == 302
    assert [p["title"] for p in follow_ups(api, c)] == ["Na de training"]

    member = app.test_client()
    sign_in(member, "kevin")
    assert member.get(f"/c/{c['slug']}/follow-ups").status_code == 403
    outsider = app.test_client()
    sign_in(outsider, "outsider")
    assert outsider.get(f"/c/{c['slug']}/follow-ups").status_code == 404


def test_the_phase_the_scheduler_reads_in_sql_is_the_phase_the_calendar_gives(app, api):
    from community.cohorts.jobs import phase_on
    from community.communities.models import Community
    from community.extensions import db

    api.user("owner")
    made = [api.community("owner", kind="cohort", starts_on=day(start), ends_on=day(end))
            for start, end in ((2, 5), (0, 0), (-3, 0), (-3, 3), (-9, -1))]
    made.append(api.community("owner"))
    archived = api.community("owner", kind="cohort", starts_on=day(-3), ends_on=day(3))
    api.patch(f"/communities/{archived['slug']}", "owner", json={"archived": True})
    with app.app_context():
        rows = db.session.execute(db.select(Community, phase_on(TODAY))).all()
        assert {c.phase for c, _ in rows} == {"upcoming", "running", "follow_up", "active", "archived"}
        assert [(c.slug, c.phase) for c, _ in rows] == [(c.slug, sql) for c, sql in rows]


def test_a_follow_up_interrupted_after_its_thread_was_posted_is_finished_at_a_later_look(app, api, c,
                                                                                        monkeypatch):
    """A crash between the thread's commit and the next: a later look records the thread and tells members."""
    from community.cohorts import jobs
    from community.cohorts.models import FollowUpPrompt
    from community.extensions import db

    prompt = schedule(api, c).get_json()

    def crash(*args, **kwargs):
        raise SystemExit("the process died here")

    monkeypatch.setattr(jobs, "FollowUpPosted", crash)
    with pytest.raises(SystemExit):
        with app.app_context():
            jobs.post_follow_up(prompt["id"])
    monkeypatch.undo()
    [stuck] = follow_ups(api, c)
    assert stuck["state"] == "posted" and stuck["thread_id"] is None  # the thread is there, untold
    assert notifications(api, "sanne", "follow_up") == []
    assert run_jobs(app, monkeypatch)["follow_ups"] == 0  # too soon: another process may still be at it

    with app.app_context():
        row = db.session.get(FollowUpPrompt, prompt["id"])
        row.posted_at -= jobs.INTERRUPTED_AFTER * 2
        db.session.commit()
    assert run_jobs(app, monkeypatch)["follow_ups"] == 1
    assert run_jobs(app, monkeypatch)["follow_ups"] == 0  # finished once
    [finished] = follow_ups(api, c)
    assert finished["thread_id"] is not None
    [told] = notifications(api, "sanne", "follow_up")
    assert told["url"] == f"/threads/{finished['thread_id']}"
    threads = api.get(f"/communities/{c['slug']}/threads", "kevin").get_json()["items"]
    assert [t["id"] for t in threads] == [finished["thread_id"]]  # one thread, not a second one
