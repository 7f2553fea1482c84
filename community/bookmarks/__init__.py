"""Bookmarks: a person keeps any post, question, answer, resource or chat message for later, with a note.

``init_app`` registers the API. What a bookmark points at is read through
``content.targets`` with the owner's own access each time the list is
read, so an item they can no longer read (they left or were banned, the
community turned private, it was hidden or deleted) drops out of their
list by itself, and comes back if they may read it again.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from . import api, models, views  # noqa: F401  (the table, the routes)

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
