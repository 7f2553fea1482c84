"""``flask --app wsgi …`` commands: create-admin, seed-demo, search rebuild/check.

Both create or upgrade the database first, as ``python wsgi.py`` does, so
they work on a fresh checkout before the server has ever run.
"""

from __future__ import annotations

import click
from flask import Flask

from .database import upgrade_database
from .errors import DomainError


def register(app: Flask) -> None:
    from .search.cli import search_cli

    app.cli.add_command(search_cli)

    @app.cli.command("create-admin")
    @click.argument("username")
    @click.argument("email")
    @click.option("--password", help="Asked for when not given.")
    def create_admin(username: str, email: str, password: str | None):
        """Make USERNAME a site administrator, creating the account if needed."""
        from .accounts.service import create_admin as make_admin

        if password is None:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        upgrade_database(app)
        try:
            user = make_admin(username, email, password)
        except DomainError as error:
            details = "; ".join(f"{k}: {v}" for k, v in (error.fields or {}).items())
            raise click.ClickException(f"{error.message} {details}".strip()) from None
        click.echo(f"{user.username} is a site administrator.")

    @app.cli.command("seed-demo")
    def seed_demo():
        """Fill a realistic Dutch demo; refuses to run on a database that has one."""
        from .demo import DemoExists, seed

        upgrade_database(app)
        try:
            summary = seed()
        except DemoExists as error:
            raise click.ClickException(str(error)) from None
        click.echo(summary)
