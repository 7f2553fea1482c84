"""The Q&A migration builds exactly the tables the models describe, and goes down and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from community.database import enable_migrations
from tests.unit.test_migrations import _table_of

QA_TABLES = {"questions", "question_tags", "answers", "votes", "expertise", "endorsements", "expert_requests"}


def test_qa_migration_matches_the_models(make_app):
    from community.extensions import db
    from community.qa import models as _qa  # noqa: F401  (tables into db.metadata)

    app = make_app()
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"render_as_batch": True,
                                                                   "compare_type": True})
            diffs = [d for d in compare_metadata(context, db.metadata) if _table_of(d) in QA_TABLES]
        db.engine.dispose()
    assert diffs == []


def test_qa_migration_downgrades_and_upgrades_again(make_app):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from community.extensions import db

    app = make_app()
    enable_migrations(app)
    with app.app_context():
        assert QA_TABLES <= set(inspect(db.engine).get_table_names())
        downgrade(revision="0004_idempotency")
        assert not QA_TABLES & set(inspect(db.engine).get_table_names())
        upgrade()
        assert QA_TABLES <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()
