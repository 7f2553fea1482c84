"""How the site writes dates and times: one style on every page and in every message.

A day (a training's first day, "member since") reads ``2 dec 2026``; a moment
(a post, a notification, the end of a mute, an invite's expiry) reads
``2 dec 2026, 18:36`` inside ``<time datetime="…Z">``. The server writes
moments in UTC; ``static/js/site.js`` rewrites every such ``<time>`` in the
reader's own time zone in the same style (Intl's ``dateStyle: "medium"``,
``timeStyle: "short"`` are the CLDR patterns Babel uses here too).

Both are cached per value and language: a thread page writes a moment per
post, and Babel takes about 20 µs a moment (measured), a cache hit well
under one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache

from babel.dates import format_date, format_time, get_datetime_format
from flask_babel import get_locale
from markupsafe import Markup, escape


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


@lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    return format_date(value, "medium", locale=locale)


@lru_cache(maxsize=8192)
def _moment(value: datetime, locale: str) -> str:
    return get_datetime_format("medium", locale=locale).format(
        format_time(value, "short", locale=locale), format_date(value, "medium", locale=locale))


def day(value: date | datetime | None) -> str:
    """``2 dec 2026`` in the page's language; a moment is written as its (UTC) day."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _utc(value).date()
    return _day(value, str(get_locale()))


def moment_text(value: datetime) -> str:
    """``2 dec 2026, 18:36`` (UTC) in the page's language, for a ``<time>`` written by hand."""
    return _moment(_utc(value).replace(second=0, microsecond=0), str(get_locale()))


def moment_writer() -> Callable[[datetime], str]:
    """``moment_text`` for many naive-UTC moments of one page, the language looked up once."""
    locale = str(get_locale())
    return lambda value: _moment(value.replace(second=0, microsecond=0), locale)


def moment(value: datetime | None) -> Markup:
    """A moment as ``<time datetime="…Z">``, which the reader's browser puts in their own time zone."""
    if value is None:
        return Markup("")
    value = _utc(value)
    return Markup(f'<time datetime="{value:%Y-%m-%dT%H:%M:%S}Z">{escape(moment_text(value))}</time>')
