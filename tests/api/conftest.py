"""The contract suite runs twice: on SQLite and on PostgreSQL, the production database.

Every test of ``tests/api`` gets both backends through the parametrized
``make_app``. On PostgreSQL the migrations run once per test session into a
template database, and each test starts from a copy of it
(``CREATE DATABASE … TEMPLATE``). Without a reachable PostgreSQL, the
PostgreSQL half is skipped with a message.
"""

from __future__ import annotations

import pytest

from tests.postgres import SKIP_MESSAGE, admin_connection, throwaway_database


@pytest.fixture(scope="session")
def postgres_template(tmp_path_factory):
    """Name of a migrated, empty PostgreSQL database to copy, or None where there is none."""
    conn, _user = admin_connection()
    if conn is None:
        yield None
        return
    conn.close()
    from community import create_app
    from community.database import upgrade_database
    from community.extensions import db
    from tests.conftest import TEST_SETTINGS

    with throwaway_database() as url:
        app = create_app({"INSTANCE": str(tmp_path_factory.mktemp("pg-template")), **TEST_SETTINGS,
                          "SQLALCHEMY_DATABASE_URI": url})
        upgrade_database(app)
        with app.app_context():
            db.engine.dispose()
        yield url.rsplit("/", 1)[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def make_app(request, make_app):
    """``make_app`` of tests/conftest.py, on a fresh SQLite file or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield make_app
        return
    template = request.getfixturevalue("postgres_template")
    if template is None:
        pytest.skip(SKIP_MESSAGE)
    built = []
    with throwaway_database(template) as url:
        def build(**settings):
            app = make_app(**{"SQLALCHEMY_DATABASE_URI": url, **settings})
            built.append(app)
            return app

        yield build
        from community.extensions import db
        for app in built:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture
def world(api):
    """A community (Magazijn) of Anna's with Bert as a member: the search tests' world."""
    anna, bert = api.user("anna"), api.user("bert")
    magazijn = api.community(anna, "Magazijn")
    api.member(magazijn, bert, anna)
    return {"anna": anna, "bert": bert, "magazijn": magazijn}
