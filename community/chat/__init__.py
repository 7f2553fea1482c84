"""Live chat and real-time updates over Socket.IO.

``init_app`` is what ``create_app`` calls: it registers the JSON and HTML
blueprints, the Socket.IO handlers (``sockets``), the pushes that follow
domain events after their commit (``live``: messages, notifications, new
replies and answers, taking people out of rooms when access ends), chat
in search and the community page's Chat tab. The browser side is
``static/js/live.js`` (one connection per page: the bell, watching a thread
or question) and ``static/js/chat.js`` (the tab), on the official
socket.io client in ``static/vendor``.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..web.tabs import register_tab


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from . import api, live, models, presence, searchable, sockets, views  # noqa: F401  (tables, routes, handlers)

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    register_tab("chat", _l("Chat"), order=30, template="chat/_tab.html", context=views.chat_tab,
                 stylesheets=("css/chat.css",), scripts=("js/chat.js",))
