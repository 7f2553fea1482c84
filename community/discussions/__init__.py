"""Threaded discussions: threads, nested replies, reactions, revisions, follows.

``init_app`` is what ``create_app`` calls: it registers the JSON and HTML
blueprints. The reaction set is the ``REACTIONS`` setting (config.py).
Listeners of discussion events live with the capabilities that care
(notifications, search), not here.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..web.tabs import register_tab


def init_app(app: Flask) -> None:
    from ..content import tags
    from ..extensions import csrf
    from . import api, searchable, views  # noqa: F401  (searchable registers threads and posts)

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    app.jinja_env.globals["tags_hint"] = tags.HINT  # the tags field's hint, with its limits
    register_tab("discussions", _l("Discussions"), order=10, template="discussions/_tab.html",
                 context=views.thread_list, stylesheets=("css/discussions.css",), scripts=("js/thread.js",))
