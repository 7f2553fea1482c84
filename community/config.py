"""Settings, read once from ``COMMUNITY_*`` environment variables.

Every setting is documented in the README; the defaults give a working
single-machine server on SQLite with nothing else installed.
"""

from __future__ import annotations

import os
import secrets
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit

PREFIX = "COMMUNITY_"


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(PREFIX + name, default)


def _flag(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() not in {"0", "off", "false", "no", ""}


def _secret_key(instance: Path) -> str:
    """The configured key, else one generated on first start and kept.

    Keeping it in the instance folder means sessions survive a restart
    without anyone having to invent a key by hand.
    """
    configured = _env("SECRET_KEY")
    if configured:
        return configured
    path = instance / "secret_key"
    if not path.exists():
        # Written aside, then linked into place: of several processes starting
        # together exactly one key wins, and nobody reads a half-written file.
        draft = instance / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(48))
        draft.chmod(0o600)
        with suppress(FileExistsError):  # another process was first: its key stands
            os.link(draft, path)
        draft.unlink()
    return path.read_text().strip()


def _site_url(value: str) -> str:
    """The site's own address without a trailing slash; refused at start when it is no web address."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{PREFIX}SITE_URL must be an http(s) address like https://leerplein.example.org, "
                         f"not {value!r}")
    return value.rstrip("/")


def load(overrides: dict | None = None) -> dict:
    """Build the Flask config mapping; ``overrides`` win (used by tests)."""
    overrides = dict(overrides or {})
    instance = Path(overrides.pop("INSTANCE", None) or _env("INSTANCE", "instance")).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    database_url = _env("DATABASE_URL") or f"sqlite:///{instance / 'community.db'}"
    config = {
        "INSTANCE": str(instance),
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SECURE_COOKIES", False),
        # Proxies in front that set X-Forwarded-For/-Proto: their word is taken for
        # the client's address (rate limits) and scheme. 0: nobody's word is taken.
        "TRUSTED_PROXIES": int(_env("TRUSTED_PROXIES", "0")),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "WTF_CSRF_SSL_STRICT": False,
        "RATELIMIT_ENABLED": _flag("RATELIMIT", True),
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE", "memory://"),
        # Keys in a shared store (Redis) start with this: deployments sharing one keep apart.
        "RATELIMIT_KEY_PREFIX": _env("RATELIMIT_PREFIX", "leerplein"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # A moving window: no burst of twice the limit across a window's edge.
        "RATELIMIT_STRATEGY": "moving-window",
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "10 per 5 minutes"),
        "REGISTER_RATE_LIMIT": _env("REGISTER_RATE_LIMIT", "20 per hour"),
        "PASSWORD_HASH": _env("PASSWORD_HASH", "scrypt"),
        "COMMUNITY_CREATORS": _env("COMMUNITY_CREATORS", "any"),  # "any" or "admins"
        "INVITE_DEFAULT_DAYS": int(_env("INVITE_DEFAULT_DAYS", "14")),
        # Every absolute URL in a response starts with this, never with the request's Host.
        "SITE_URL": _env("SITE_URL", "http://127.0.0.1:5000"),
        "BABEL_DEFAULT_LOCALE": "en",
        "LANGUAGES": ("nl", "en"),
        "TITLE_MIN": int(_env("TITLE_MIN", "3")),
        "TITLE_MAX": int(_env("TITLE_MAX", "200")),
        "BODY_MAX": int(_env("BODY_MAX", "20000")),
        "CHAT_MAX": int(_env("CHAT_MAX", "2000")),
        # Chat sends per person: at most this many messages in this many seconds (every process together).
        "CHAT_RATE_COUNT": int(_env("CHAT_RATE_COUNT", "10")),
        "CHAT_RATE_SECONDS": float(_env("CHAT_RATE_SECONDS", "10")),
        # A room hears who is online at most this often (seconds), and only when it changed.
        "CHAT_PRESENCE_SECONDS": float(_env("CHAT_PRESENCE_SECONDS", "1")),
        "REACTIONS": tuple((_env("REACTIONS") or "👍 ❤️ 🎉 😄 🤔 👀").split()),
        "MAX_CONTENT_LENGTH": int(_env("UPLOAD_MAX", str(20 * 1024 * 1024))) + 64 * 1024,
        "UPLOAD_MAX": int(_env("UPLOAD_MAX", str(20 * 1024 * 1024))),
        # Text extraction from uploads (community/resources/extract.py): each file gets at most
        # this many seconds, pages, characters of text and megabytes of memory, in a subprocess.
        "EXTRACT_SECONDS": float(_env("EXTRACT_SECONDS", "15")),
        "EXTRACT_PAGES": int(_env("EXTRACT_PAGES", "200")),
        "EXTRACT_CHARS": int(_env("EXTRACT_CHARS", "200000")),
        "EXTRACT_MEMORY_MB": int(_env("EXTRACT_MEMORY_MB", "512")),
        # Work by the clock (see community/scheduler.py): seconds between looks for due work.
        "SCHEDULER_INTERVAL": float(_env("SCHEDULER_INTERVAL", "30")),
        # Q&A: seconds without an answer before a question goes to the next experts, then moderators.
        "ESCALATION_AFTER": float(_env("ESCALATION_AFTER", "14400")),
        "EXPERTS_PER_QUESTION": int(_env("EXPERTS_PER_QUESTION", "5")),
        # Accepted answers in a tag that make someone a "proven" expert on it.
        "EXPERT_PROVEN_AFTER": int(_env("EXPERT_PROVEN_AFTER", "1")),
        # The trainer's insight: seconds a process may keep a community's figures (0: counted on every
        # request, in p95 46 ms for 2,000 members and 10,000 posts; see community/insight/cache.py).
        "INSIGHT_CACHE_SECONDS": float(_env("INSIGHT_CACHE_SECONDS", "0")),
        "ASYNC_MODE": _env("ASYNC_MODE"),
        "MESSAGE_QUEUE": _env("MESSAGE_QUEUE"),
        # The queue's channel: deployments sharing one Redis keep apart (a room name means nothing elsewhere).
        "MESSAGE_QUEUE_CHANNEL": _env("MESSAGE_QUEUE_CHANNEL", "leerplein"),
        "SEARCH_INDEX": _env("SEARCH_INDEX"),  # None: INSTANCE/search
        "SEARCH_SYNC_REBUILD_MAX": int(_env("SEARCH_SYNC_REBUILD_MAX", "2000")),
        "SEARCH_REBUILD_PROCESSES": int(_env("SEARCH_REBUILD_PROCESSES", "2")),  # shards of a large rebuild
        # Chat messages are indexed together, this often (seconds): findable within about that.
        "SEARCH_BATCH_SECONDS": float(_env("SEARCH_BATCH_SECONDS", "2")),
    }
    config.update(overrides)
    config["SITE_URL"] = _site_url(config["SITE_URL"])
    return config
