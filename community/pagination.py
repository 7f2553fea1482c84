"""Keyset pagination with opaque cursors, for every list the contract returns.

A cursor holds the sort key of the item a page starts after, so a page never
skips or repeats rows when new ones arrive, and deep pages cost what the
first does. A cursor also says its direction: ``next`` reads on from the
last item shown, ``prev`` reads back from the first, so a phone user can go
one page back without a tiny page number.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, tuple_

from .errors import BadRequest, Invalid
from .extensions import db

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass
class Page:
    items: list
    next: str | None
    prev: str | None = None


def parse_limit(raw: str | None) -> int:
    if raw in (None, ""):
        return DEFAULT_LIMIT
    limit = int(raw) if raw.isdigit() else 0
    if limit < 1:
        raise Invalid({"limit": str(_l("Enter a whole number from 1 to %(n)d.", n=MAX_LIMIT))})
    return min(limit, MAX_LIMIT)


def _encode(values: tuple, *, backward: bool = False) -> str:
    plain = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    data = {"b": plain} if backward else plain
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _decode(cursor: str, width: int) -> tuple[tuple, bool]:
    """The key values a cursor holds, and whether it reads backward."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        backward = isinstance(raw, dict)
        if backward:
            raw = raw["b"]
        if not isinstance(raw, list) or len(raw) != width:
            raise ValueError
        return tuple(datetime.fromisoformat(v["t"]) if isinstance(v, dict) else v for v in raw), backward
    except (ValueError, TypeError, KeyError):
        raise BadRequest(_l("The cursor is not valid.")) from None


def paginate(stmt: Select, key: tuple, key_of: Callable[[Any], tuple], *, limit: int,
             cursor: str | None, descending: bool = False, scalars: bool = True) -> Page:
    """Run ``stmt`` ordered by the ``key`` columns (all one direction) from ``cursor`` on.

    ``key_of(item)`` returns the same key's values for one result row; the
    last column of ``key`` must be unique (an id) so that the order is total.
    A backward cursor reads the page before it, returned in the usual order.
    """
    start, backward = _decode(cursor, len(key)) if cursor else (None, False)
    toward_smaller = descending != backward
    if start is not None:
        row = tuple_(*key)
        stmt = stmt.where(row < tuple_(*start) if toward_smaller else row > tuple_(*start))
    stmt = stmt.order_by(*[c.desc() if toward_smaller else c for c in key]).limit(limit + 1)
    result = db.session.execute(stmt)
    rows = list(result.scalars() if scalars else result.all())
    more = len(rows) > limit
    rows = rows[:limit]
    if backward:
        rows.reverse()
    if not rows:
        return Page(rows, None, None)
    has_next = more if not backward else True   # going back, the page we came from follows
    has_prev = more if backward else bool(cursor)
    return Page(rows, _encode(key_of(rows[-1])) if has_next else None,
                _encode(key_of(rows[0]), backward=True) if has_prev else None)
