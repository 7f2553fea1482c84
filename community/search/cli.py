"""``flask --app wsgi search rebuild|check``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from ..database import upgrade_database

search_cli = AppGroup("search", help="The full-text search index.")


@search_cli.command("rebuild")
def rebuild_command():
    """Rebuild the index from the database (the server keeps serving the old one meanwhile)."""
    from flask import current_app

    from . import indexer

    app: Flask = current_app._get_current_object()
    upgrade_database(app)
    total = indexer.expected_count()
    with click.progressbar(length=max(total, 1), label="Indexing", show_pos=True) as bar:
        last = [0]

        def progress(done: int, _total: int) -> None:
            bar.update(done - last[0])
            last[0] = done

        try:
            done = indexer.rebuild(app, "requested", progress)
        except TimeoutError:
            raise click.ClickException("Another process is rebuilding the index right now.") from None
    click.echo(f"Indexed {done} items.")


@search_cli.command("check")
def check_command():
    """Say whether the index matches the database (ok, missing, corrupt or stale)."""
    from flask import current_app

    from . import indexer

    app: Flask = current_app._get_current_object()
    upgrade_database(app)
    state = indexer.diagnose(app)
    click.echo(state)
    if state != "ok":
        raise SystemExit(1)
