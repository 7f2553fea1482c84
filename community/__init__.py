"""Leerplein: a social learning community server.

``create_app()`` builds the whole application: settings, extensions, the
capabilities' blueprints, error pages and security headers.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l

from . import config, database, events, idempotency
from .extensions import babel, csrf, db, limiter, login_manager, migrate, socketio

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"))
    app.config.update(config.load(overrides))
    app.instance_path = app.config["INSTANCE"]

    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    events.install()
    idempotency.init_app(app)
    _init_auth(app)
    _init_i18n(app)
    limiter.init_app(app)
    socketio.init_app(app, async_mode=app.config["ASYNC_MODE"] or _async_mode(),
                      message_queue=app.config["MESSAGE_QUEUE"], cors_allowed_origins=[])
    _register_blueprints(app)

    from . import cli, web
    web.errors.register(app)
    web.security.register(app)
    web.assets.register(app)
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
    from .accounts.models import User
    from .api.auth import authenticate_api_request

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = str  # word the lazy message in the page's language
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None

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
    from .communities import views as communities_views
    from .web import views as web_views

    for api_bp in (openapi.bp, accounts_api.bp, communities_api.bp):
        csrf.exempt(api_bp)  # the API checks CSRF itself, only for cookie sessions
        app.register_blueprint(api_bp)
    for page_bp in (web_views.bp, accounts_views.bp, communities_views.bp):
        app.register_blueprint(page_bp)

    from .discussions import init_app as init_discussions
    from .notifications import init_app as init_notifications

    init_discussions(app)
    init_notifications(app)
