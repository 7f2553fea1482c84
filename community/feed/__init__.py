"""The personal feed: what is relevant to one person, across their communities and tags.

``ranking`` is the feed's one order (a tested table of cases), ``reading``
picks the candidates through ``access``, ``following`` keeps the tags a
person follows.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from ..web.tabs import register_home_section
    from . import api, models, reading  # noqa: F401  (the table, the routes)

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    register_home_section("feed", "feed/_home.html", reading.home_context, order=10)
