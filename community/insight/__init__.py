"""Insight: the trainer's figures about a community, its charts, and inviting silent members into a thread.

``figures`` counts (who takes part, what waits for an answer, who knows
what), ``charts`` draws the weekly series as inline SVG, ``service`` is the
one way to invite members into a thread (a domain event the notifications
capability turns into ``thread_invite`` notifications). ``init_app`` is
what ``create_app`` calls: it registers the API and the page.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from . import api, views

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
