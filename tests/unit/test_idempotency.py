"""The idempotency table: built by its migration exactly as the model describes it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from community import idempotency
from community.database import enable_migrations
from tests.unit.test_migrations import _table_of


def test_idempotency_migration_matches_the_model(make_app):
    from community.extensions import db

    app = make_app()
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"render_as_batch": True, "compare_type": True})
            diffs = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert [d for d in diffs if _table_of(d) == idempotency.IdempotencyKey.__tablename__] == []


def test_idempotency_migration_downgrades_and_upgrades_again(make_app):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from community.extensions import db

    app = make_app()
    enable_migrations(app)
    with app.app_context():
        downgrade(revision="0003_browser_sessions")
        assert "idempotency_keys" not in inspect(db.engine).get_table_names()
        upgrade()
        assert "idempotency_keys" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_keys_are_1_to_100_printable_ascii_characters():
    assert idempotency.valid_key("a") and idempotency.valid_key("~" * 100)
    assert idempotency.valid_key("8e03978e-40d5-43e8-bc93-6894a57f9324")
    assert not idempotency.valid_key("") and not idempotency.valid_key("a" * 101)
    assert not any(map(idempotency.valid_key, ["\x00", "a\tb", "\x7f", "sleutel-é", "\u200b"]))
