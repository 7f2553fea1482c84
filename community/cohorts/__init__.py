"""The cohort lifecycle: follow-up prompts after the training, and phase changes told as events.

``init_app`` is what ``create_app`` calls: it registers the JSON and HTML
blueprints and, by importing ``jobs``, the scheduler's two jobs
(``follow_ups``, ``cohort_phases``). The notifications these cause are the
notification capability's (``notifications/cohort_listeners.py``).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from . import api, jobs, models, views  # noqa: F401  (tables, routes, the jobs)

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
