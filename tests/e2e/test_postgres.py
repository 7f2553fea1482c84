"""The migrations and the contract on PostgreSQL, the production database.

Uses the local server (127.0.0.1:5432, trust auth) with a throwaway database;
skipped with a message where no PostgreSQL answers.
"""

from __future__ import annotations

import pytest

from tests.postgres import throwaway_database


@pytest.fixture
def postgres_url():
    with throwaway_database() as url:
        yield url


def test_migrations_and_contract_on_postgresql(postgres_url, tmp_path):
    from community import create_app
    from community.database import upgrade_database
    from community.extensions import db
    from tests.conftest import TEST_SETTINGS
    from tests.factories import Api

    app = create_app({"INSTANCE": str(tmp_path), "SQLALCHEMY_DATABASE_URI": postgres_url, **TEST_SETTINGS})
    upgrade_database(app)
    try:
        api = Api(app)
        owner, member = api.user("eigenaar"), api.user("Deelnemer")
        assert api.post("/users", json={"username": "DEELNEMER", "email": "x@example.org",
                                        "password": "lang-genoeg-1"}).status_code == 409
        community = api.community(owner, "Heftruck cohort", kind="cohort", visibility="private",
                                  join_policy="invite")
        api.member(community, member, owner)
        assert api.get(f"/communities/{community['slug']}", member).get_json()["member_count"] == 2
        page = api.get("/communities?limit=1", member).get_json()
        assert [c["slug"] for c in page["items"]] == [community["slug"]] and page["next"] is None
        _nested_thread_comes_back_in_tree_order(api, community["slug"], owner, member)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _nested_thread_comes_back_in_tree_order(api, slug, owner, member):
    thread = api.post(f"/communities/{slug}/threads", owner, json={"title": "Praktijktoets tips",
                                                                   "body": "Wat hielp jou?"}).get_json()
    root = thread["posts"][0]["id"]

    def reply(user, parent):
        response = api.post(f"/threads/{thread['id']}/posts", user, json={"body": "Ja!", "parent_id": parent})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    a = reply(member, root)
    b = reply(owner, root)
    a1 = reply(owner, a)
    a1x = reply(member, a1)
    a2 = reply(member, a)
    posts = api.get(f"/threads/{thread['id']}", member).get_json()["posts"]
    assert [p["id"] for p in posts] == [root, a, a1, a1x, a2, b]
    assert [p["depth"] for p in posts] == [0, 1, 2, 3, 2, 1]
