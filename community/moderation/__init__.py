"""Moderation: every moderation action in an append-only audit log, read by the community's moderators.

``init_app`` is what ``create_app`` calls: it registers the API blueprint
and the listeners (``audit``) that write the log from domain events after
their commit, so no view or service can forget to write it and none writes
it directly. The database itself refuses to change or delete an entry
(triggers made by migration ``0008_audit``).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from . import api, audit, models, views  # noqa: F401  (tables, routes, listeners)

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
