"""Shared resources: links, Markdown notes and files, with tags, in a community's Resources tab.

``init_app`` is what ``create_app`` calls: it registers the JSON and HTML
blueprints and the community page's Resources tab. Files live in
``storage`` under server-chosen names; ``extract`` names a file's type from
its bytes and pulls out its text for search, bounded in time, memory and
size, in a subprocess.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..web.tabs import register_tab


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from . import api, events, models, searchable, views  # noqa: F401  (tables, routes, storage listener, search)

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    register_tab("resources", _l("Resources"), order=40, template="resources/_tab.html",
                 context=views.resource_list, stylesheets=("css/resources.css",))
