"""Idempotency keys on PostgreSQL: a retry and racing retries write once there too."""

from __future__ import annotations

import threading

from tests.e2e.test_postgres import postgres_url  # noqa: F401  (the throwaway database fixture)


def test_retries_and_racing_retries_write_once_on_postgresql(postgres_url, tmp_path):  # noqa: F811
    from community import create_app
    from community.database import upgrade_database
    from community.extensions import db
    from tests.conftest import TEST_SETTINGS
    from tests.factories import Api

    app = create_app({"INSTANCE": str(tmp_path), "SQLALCHEMY_DATABASE_URI": postgres_url, **TEST_SETTINGS})
    upgrade_database(app)
    try:
        api = Api(app)
        owner = api.user("eigenaar")
        slug = api.community(owner, "Sleutels")["slug"]
        body = {"title": "Eén keer", "body": "Tel mee."}
        first, again = (api.post(f"/communities/{slug}/threads", owner, json=body,
                                 headers={"Idempotency-Key": "k1"}) for _ in range(2))
        assert first.status_code == again.status_code == 201 and again.get_json() == first.get_json()
        thread = first.get_json()["id"]

        start, answers = threading.Barrier(6), []

        def send():
            client = app.test_client()
            start.wait()
            answers.append(client.post(f"/api/v1/threads/{thread}/posts", json={"body": "Samen"},
                                       headers={"Authorization": f"Bearer {api.tokens[owner]}",
                                                "Idempotency-Key": "race"}))

        workers = [threading.Thread(target=send) for _ in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert [a.status_code for a in answers] == [201] * 6
        assert len({a.get_json()["id"] for a in answers}) == 1
        assert api.get(f"/threads/{thread}", owner).get_json()["reply_count"] == 1
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_reaction_on_postgresql_records_its_event(postgres_url, tmp_path):  # noqa: F811
    """The same trap as above, in discussions: an insert-if-absent must say when it inserted."""
    from community import create_app, events
    from community.database import upgrade_database
    from community.discussions.events import ReactionChanged
    from community.extensions import db
    from tests.conftest import TEST_SETTINGS
    from tests.factories import Api

    seen = []

    @events.listen(ReactionChanged)
    def remember(event):
        seen.append(event)

    app = create_app({"INSTANCE": str(tmp_path), "SQLALCHEMY_DATABASE_URI": postgres_url, **TEST_SETTINGS})
    upgrade_database(app)
    try:
        api = Api(app)
        owner = api.user("eigenaar")
        slug = api.community(owner, "Duimen")["slug"]
        post = api.post(f"/communities/{slug}/threads", owner,
                        json={"title": "Goed idee", "body": "Ja?"}).get_json()["posts"][0]["id"]
        for _ in range(2):
            assert api.post(f"/posts/{post}/reactions", owner, json={"emoji": "👍"}).get_json() == {"👍": 1}
        assert [(e.post_id, e.emoji, e.added) for e in seen] == [(post, "👍", True)]  # once: the second is a no-op
    finally:
        events._listeners[ReactionChanged].remove(remember)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
