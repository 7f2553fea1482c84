"""Moderation: flags and hidden content, and every moderation action in an append-only audit log.

``flags`` is the queue (any reader flags, moderators dismiss or hide),
``hiding`` the one way content is hidden and shown again (the rule every
reader applies is ``access.shown``), ``notices`` tells the moderators.

``init_app`` is what ``create_app`` calls: it registers the API blueprint
and the listeners (``audit``) that write the log from domain events after
their commit, so no view or service can forget to write it and none writes
it directly. The database itself refuses to change or delete an entry
(triggers made by migration ``0008_audit``).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from ..extensions import csrf
    from ..web.tabs import register_tab
    from . import api, audit, models, notices, views  # noqa: F401  (tables, routes, listeners)

    register_tab("flags", _l("Flags"), order=90, template="moderation/_flags_tab.html", context=views.flags_tab,
                 stylesheets=("css/moderation.css",), moderators=True)

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
