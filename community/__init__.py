"""Leerplein: a social learning community server.

``create_app()`` builds the whole application: settings, extensions, the
capabilities' blueprints, error pages and security headers.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l

from . import config, database, events, idempotency
from .extensions import babel, csrf, limiter, login_manager, socketio
from .validation import IdConverter
from .websocket import NoWebsocketCompression, direct_websocket_class, own_origins

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"))
    app.config.update(config.load(overrides))
    app.instance_path = app.config["INSTANCE"]
    app.url_map.converters["int"] = IdConverter  # ids past the database's range are a 404

    database.init_app(app)
    if os.environ.get("FLASK_RUN_FROM_CLI"):  # `flask db …` needs Flask-Migrate; servers never load it
        database.enable_migrations(app)
    events.install(app)
    idempotency.init_app(app)
    _init_auth(app)
    _init_i18n(app)
    limiter.init_app(app)
    from .accounts import throttle
    throttle.init_app(app)
    socketio.init_app(app, async_mode=app.config["ASYNC_MODE"] or _async_mode(),
                      message_queue=app.config["MESSAGE_QUEUE"], channel=app.config["MESSAGE_QUEUE_CHANNEL"],
                      cors_allowed_origins=own_origins(app.config["SITE_URL"]))
    app.wsgi_app = NoWebsocketCompression(app.wsgi_app)  # outside Socket.IO's middleware, which shakes hands
    if socketio.server.eio.async_mode == "gevent":
        eio = socketio.server.eio  # its own copy: the driver's table is shared by every server in the process
        eio._async = {**eio._async, "websocket": direct_websocket_class()}
    _register_blueprints(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]  # outermost, so every door sees the client's address
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from . import cli, web
    web.timing.register(app)  # after_request hooks run last-registered first: timing sees it all
    web.compression.register(app)
    web.errors.register(app)
    web.security.register(app)
    web.assets.register(app)
    web.templates.register(app)
    cli.register(app)
    return app


def _async_mode() -> str:
    """gevent when ``wsgi.py`` patched the process for it, else plain threads (tests, CLI)."""
    try:
        from gevent import monkey
    except ImportError:
        return "threading"
    return "gevent" if monkey.is_module_patched("socket") else "threading"


def _init_auth(app: Flask) -> None:
    from .accounts.sessions import load_user
    from .api.auth import authenticate_api_request

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = str  # word the lazy message in the page's language
    login_manager.session_protection = "basic"

    # The one check of a session cookie (and the remember-me cookie): its session must not have ended.
    login_manager.user_loader(load_user)

    csrf.init_app(app)
    app.before_request(authenticate_api_request)


def _init_i18n(app: Flask) -> None:
    from .web.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))


def _register_blueprints(app: Flask) -> None:
    from .accounts import api as accounts_api
    from .accounts import views as accounts_views
    from .api import openapi
    from .communities import api as communities_api
    from .web import views as web_views

    for api_bp in (openapi.bp, accounts_api.bp, communities_api.bp):
        csrf.exempt(api_bp)  # the API checks CSRF itself, only for cookie sessions
        app.register_blueprint(api_bp)
    for page_bp in (web_views.bp, accounts_views.bp):
        app.register_blueprint(page_bp)

    from .bookmarks import init_app as init_bookmarks
    from .chat import init_app as init_chat
    from .cohorts import init_app as init_cohorts
    from .communities.pages import init_app as init_community_pages
    from .discussions import init_app as init_discussions
    from .feed import init_app as init_feed
    from .insight import init_app as init_insight
    from .moderation import init_app as init_moderation
    from .notifications import init_app as init_notifications
    from .qa import init_app as init_qa
    from .resources import init_app as init_resources
    from .search import init_app as init_search

    init_community_pages(app)
    init_discussions(app)
    init_qa(app)
    init_resources(app)
    init_notifications(app)
    init_chat(app)
    init_moderation(app)
    init_cohorts(app)
    init_insight(app)
    init_bookmarks(app)
    init_feed(app)
    init_search(app)
