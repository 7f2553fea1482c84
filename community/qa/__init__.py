"""Questions and answers with experts: asking, answering, votes, acceptance, expertise, routing, escalation.

``init_app`` is what ``create_app`` calls: it registers the JSON blueprint and
the escalation job of the scheduler. The HTML pages are the web layer's.
The notifications Q&A events cause are the notification capability's
(``notifications/qa_listeners.py``); the user object's ``expertise`` comes from
the provider registered here.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..accounts import service as accounts
    from ..extensions import csrf
    from . import api, escalation, expertise, models  # noqa: F401  (tables, routes and the scheduler's job)

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    if expertise.user_expertise_for_viewer not in accounts._EXPERTISE_PROVIDER:
        accounts._EXPERTISE_PROVIDER.append(expertise.user_expertise_for_viewer)
