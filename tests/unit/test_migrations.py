"""The migrations build exactly the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from community.database import enable_migrations, upgrade_database

DISCUSSION_TABLES = {"threads", "thread_tags", "thread_follows", "posts", "post_revisions", "reactions",
                     "notifications"}


def _table_of(diff) -> str | None:
    """The table a difference from ``compare_metadata`` is about."""
    if isinstance(diff, list):  # column modifications come as a list of tuples
        return _table_of(diff[0])
    for part in diff[1:]:
        name = getattr(part, "name", None) if not isinstance(part, str) else None
        table = getattr(part, "table", None)
        if table is not None and getattr(table, "name", None):
            return table.name
        if hasattr(part, "columns") and name and hasattr(part, "fullname"):
            return part.name
    if len(diff) > 2 and isinstance(diff[2], str):
        return diff[2]  # ("modify_type", schema, table, column, ...)
    return None


def test_discussion_migration_matches_the_models(make_app):
    from community.discussions import models as _discussions  # noqa: F401  (tables into db.metadata)
    from community.extensions import db
    from community.notifications import models as _notifications  # noqa: F401

    app = make_app()
    enable_migrations(app)
    upgrade_database(app)  # already at head: a no-op that proves the chain is whole
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"render_as_batch": True,
                                                                   "compare_type": True})
            diffs = compare_metadata(context, db.metadata)
        ours = [d for d in diffs if _table_of(d) in DISCUSSION_TABLES]
        db.engine.dispose()
    assert ours == []


def test_discussion_tables_exist_after_upgrade(make_app):
    from sqlalchemy import inspect

    from community.extensions import db

    app = make_app()
    enable_migrations(app)
    with app.app_context():
        assert DISCUSSION_TABLES <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()


def test_discussion_migration_downgrades_and_upgrades_again(make_app):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from community.extensions import db

    app = make_app()
    enable_migrations(app)
    with app.app_context():
        downgrade(revision="0001_foundation")
        assert not DISCUSSION_TABLES & set(inspect(db.engine).get_table_names())
        upgrade()
        assert DISCUSSION_TABLES <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()


def _matches_model_and_round_trips(make_app, table: str, before: str, check=lambda present: None) -> None:
    """``table`` as its model says; gone after a downgrade to ``before``, back after the upgrade.

    ``check(present)`` runs after each step (present: whether the table should be there).
    """
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from community.extensions import db

    app = make_app()
    enable_migrations(app)
    with app.app_context():
        assert _model_diffs(table) == []
        downgrade(revision=before)
        assert table not in inspect(db.engine).get_table_names()
        check(False)
        upgrade()
        assert table in inspect(db.engine).get_table_names()
        check(True)
        db.engine.dispose()


def test_browser_session_migration_matches_the_model_and_downgrades(make_app):
    _matches_model_and_round_trips(make_app, "browser_sessions", "0002_discussions")


def test_audit_migration_matches_the_model_and_downgrades_with_its_triggers(make_app):
    from sqlalchemy import text

    from community.extensions import db
    from community.moderation import models as _moderation  # noqa: F401  (the table into db.metadata)

    def triggers(present: bool) -> None:
        with db.engine.connect() as connection:
            names = set(connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
        assert names == ({"audit_entries_no_update", "audit_entries_no_delete"} if present else set())

    _matches_model_and_round_trips(make_app, "audit_entries", "0007_chat", triggers)


def test_flags_migration_matches_the_models_and_downgrades(make_app):
    """The flag tables, and the ``hidden_at`` column of each kind of content, come and go with 0009."""
    from sqlalchemy import inspect

    from community.extensions import db
    from community.moderation import models as _moderation  # noqa: F401  (the tables into db.metadata)

    hidden_tables = ("threads", "posts", "questions", "answers", "chat_messages", "resources")

    def columns(present: bool) -> None:
        inspector = inspect(db.engine)
        for table in hidden_tables:
            assert ("hidden_at" in {c["name"] for c in inspector.get_columns(table)}) is present
        assert ("hidden_by" in {c["name"] for c in inspector.get_columns("notifications")}) is present
        assert ("flag_reports" in inspector.get_table_names()) is present

    for table in (*hidden_tables, "flag_reports", "notifications"):
        _matches_model_and_round_trips_in_place(make_app, table)
    _matches_model_and_round_trips(make_app, "flags", "0008_audit", columns)


def _matches_model_and_round_trips_in_place(make_app, table: str) -> None:
    app = make_app()
    enable_migrations(app)
    with app.app_context():
        assert _model_diffs(table) == []


def _model_diffs(table: str) -> list:
    """What differs between the migrated database and the models, for ``table`` (in an app context)."""
    from community.extensions import db

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True, "compare_type": True})
        diffs = [d for d in compare_metadata(context, db.metadata) if _table_of(d) == table]
    db.engine.dispose()
    return diffs


def test_bookmarks_migration_matches_the_model_and_downgrades(make_app):
    from community.bookmarks import models as _bookmarks  # noqa: F401  (the table into db.metadata)

    _matches_model_and_round_trips(make_app, "bookmarks", "0010_follow_ups")


def test_tag_follows_migration_matches_the_model_and_downgrades(make_app):
    from community.feed import models as _feed  # noqa: F401  (the table into db.metadata)

    _matches_model_and_round_trips(make_app, "tag_follows", "0011_bookmarks")
