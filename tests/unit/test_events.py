"""Domain events reach their listeners after the commit, and never after a rollback."""

from dataclasses import dataclass

import pytest

from community import events
from community.extensions import db


@pytest.fixture(autouse=True)
def isolated_listeners():
    """Listeners are process-wide; each test keeps only the ones it registers."""
    saved = {k: list(v) for k, v in events._listeners.items()}
    yield
    events._listeners.clear()
    events._listeners.update(saved)


@dataclass(frozen=True)
class Happened(events.DomainEvent):
    what: str


def test_listeners_run_after_commit_only(app):
    seen = []
    events.listen(Happened)(seen.append)
    with app.app_context():
        events.record(db.session, Happened("kept"))
        assert seen == []
        events.commit(db.session)
        assert seen == [Happened("kept")]
        events.record(db.session, Happened("dropped"))
        db.session.rollback()
        events.commit(db.session)
    assert seen == [Happened("kept")]


def test_a_failing_listener_does_not_stop_the_others(app):
    seen = []

    @events.listen(Happened)
    def broken(event):
        raise RuntimeError("boom")

    events.listen(Happened)(seen.append)
    with app.app_context():
        events.record(db.session, Happened("x"))
        events.commit(db.session)
    assert seen == [Happened("x")]


def test_listeners_may_record_and_commit_more_events(app):
    @dataclass(frozen=True)
    class Followup(events.DomainEvent):
        """Recorded by a listener of ``Happened``."""

    seen = []

    @events.listen(Happened)
    def chain(event):
        events.record(db.session, Followup())
        events.commit(db.session)

    events.listen(Followup)(seen.append)
    with app.app_context():
        events.record(db.session, Happened("start"))
        events.commit(db.session)
    assert seen == [Followup()]


def test_joining_records_member_joined(api):
    joined = []
    events.listen(events.MemberJoined)(joined.append)
    owner, member = api.user("owner"), api.user("member")
    community = api.community(owner)
    api.post(f"/communities/{community['slug']}/join", member)
    assert [e.community_id for e in joined] == [community["id"]]



def test_a_commit_that_skips_delivery_fails_the_test_loudly(app):
    seen = []
    events.listen(Happened)(seen.append)
    context = app.app_context()
    context.push()
    events.record(db.session, Happened("forgotten"))
    db.session.commit()  # the bug: not events.commit
    with pytest.raises(events.UndeliveredEvents, match="forgotten"):
        context.pop()
    assert seen == []


def test_in_production_forgotten_events_are_delivered_late(make_app):
    production = make_app(TESTING=False)
    seen = []
    events.listen(Happened)(seen.append)
    with production.app_context():
        events.record(db.session, Happened("late"))
        db.session.commit()
    assert seen == [Happened("late")]
