"""Questions and answers with experts: asking, answering, votes, acceptance, expertise, routing, escalation.

``init_app`` is what ``create_app`` calls: it registers the JSON blueprint and
the escalation job of the scheduler. ``views`` holds the HTML pages; the community page's Questions tab and the
profile's expertise are registered with the web layer here.
The notifications Q&A events cause are the notification capability's
(``notifications/qa_listeners.py``); the user object's ``expertise`` comes from
the provider registered here.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..web.tabs import register_profile_section, register_tab


def init_app(app: Flask) -> None:
    from ..accounts import service as accounts
    from ..extensions import csrf
    from . import api, escalation, expertise, models, searchable, views  # noqa: F401  (tables, routes, the job, search)

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    register_tab("questions", _l("Questions"), order=20, template="qa/_tab.html", context=views.question_list,
                 stylesheets=("css/qa.css",))
    register_profile_section("expertise", "qa/_profile.html", views.profile_expertise, order=10,
                             stylesheets=("css/qa.css",))
    if expertise.user_expertise_for_viewer not in accounts._EXPERTISE_PROVIDER:
        accounts._EXPERTISE_PROVIDER.append(expertise.user_expertise_for_viewer)
