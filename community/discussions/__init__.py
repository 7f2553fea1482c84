"""Threaded discussions: threads, nested replies, reactions, revisions, follows.

``init_app`` is what ``create_app`` calls: it registers the JSON and HTML
blueprints and the default reaction set. Listeners of discussion events live
with the capabilities that care (notifications, search), not here.
"""

from __future__ import annotations

from flask import Flask

DEFAULT_REACTIONS = ("👍", "❤️", "🎉", "😄", "🤔", "👀")


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from . import api, views

    # Configurable set; config.py may read COMMUNITY_REACTIONS into it later.
    app.config.setdefault("REACTIONS", DEFAULT_REACTIONS)
    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
