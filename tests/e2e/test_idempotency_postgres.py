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

