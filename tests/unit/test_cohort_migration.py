"""Migration 0010 builds what the models describe, and steps down and up again cleanly."""

from __future__ import annotations

from sqlalchemy import inspect

from tests.unit.test_migrations import _matches_model_and_round_trips


def test_follow_up_migration_matches_the_models_and_downgrades_with_its_columns(make_app):
    from community.cohorts import models as _cohorts  # noqa: F401  (the table into db.metadata)
    from community.extensions import db

    def columns(present: bool) -> None:
        found = {(table, c["name"]) for table in ("communities", "memberships", "invites")
                 for c in inspect(db.engine).get_columns(table)}
        added = {("communities", "phase_seen"), ("memberships", "mute_reason"), ("invites", "revoked_at")}
        assert (added <= found) if present else not (added & found)

    _matches_model_and_round_trips(make_app, "follow_up_prompts", "0009_flags", columns)


def test_the_new_columns_match_the_models(make_app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from community.database import enable_migrations
    from community.extensions import db

    app = make_app()
    enable_migrations(app)
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"render_as_batch": True, "compare_type": True})
            diffs = [d for d in compare_metadata(context, db.metadata)
                     if str(d).find("phase_seen") + str(d).find("mute_reason") + str(d).find("revoked_at") > -3]
        db.engine.dispose()
    assert diffs == []
