"""How the site writes dates and times: one style on every page and in every message.

A day (a training's first day, "member since") reads ``2 dec 2026``; a moment
(a post, a notification, the end of a mute, an invite's expiry) reads
``2 dec 2026, 18:36`` inside ``<time datetime="…Z">``. The server writes
moments in UTC; ``static/js/site.js`` rewrites every such ``<time>`` in the
reader's own time zone in the same style (Intl's ``dateStyle: "medium"``,
``timeStyle: "short"`` are the CLDR patterns Babel uses here too).

A thread page writes a moment per post: days are cached per value and
language, clock times are two f-strings (a few µs a moment).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache

from flask_babel import get_locale
from markupsafe import Markup, escape

# CLDR's "medium" date and "short" time for the site's two languages, written
# out: loading Babel's locale data for them costs a server 5.5 MiB of memory
# (measured), for twelve month names and two patterns.
# tests/unit/test_dates.py checks every month and every minute against Babel.
_MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _language(locale: str) -> str:
    return "nl" if locale.startswith("nl") else "en"


@lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    month = _MONTHS[_language(locale)][value.month - 1]
    if _language(locale) == "nl":
        return f"{value.day} {month} {value.year}"
    return f"{month} {value.day}, {value.year}"


def _clock(value: datetime, locale: str) -> str:
    if _language(locale) == "nl":
        return f"{value:%H:%M}"
    hour = value.hour % 12 or 12
    return f"{hour}:{value:%M}\u202f{'AM' if value.hour < 12 else 'PM'}"


def _moment(value: datetime, locale: str) -> str:
    return f"{_day(value.date(), locale)}, {_clock(value, locale)}"


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


def duration(seconds: float | None) -> str:
    """A span in the largest whole unit that fits: "40 minutes", "3 hours", "2 days" (a response time)."""
    from flask_babel import ngettext

    if seconds is None:
        return ""
    minutes = max(1, round(seconds / 60))
    if minutes < 90:
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    hours = round(minutes / 60)
    if hours < 36:
        return ngettext("%(num)d hour", "%(num)d hours", hours)
    return ngettext("%(num)d day", "%(num)d days", round(hours / 24))
