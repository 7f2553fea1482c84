"""Notifications: one capability every other one reuses through ``service.notify``.

``init_app`` registers the JSON and HTML blueprints, the listeners that turn
discussion events and join requests into notifications, and a template
helper for the unread badge.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from . import api, cohort_listeners, insight_listeners, listeners, mute_listeners, qa_listeners, service, views  # noqa: F401  (listeners)

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)

    @app.context_processor
    def unread_badge():
        # A callable, so pages that never show the badge never pay the query.
        return {"unread_notification_count": service.unread_count_for_current_user}
