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
from .validation import DB_INT_MAX, DB_INT_MIN

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
    if not (raw.isascii() and raw.isdigit()):  # isdigit() alone lets "²" through to int()
        limit = 0
    else:  # int() refuses more than 4,300 digits; any long number is past the maximum
        limit = int(raw) if len(raw) <= 6 else MAX_LIMIT
    if limit < 1:
        raise Invalid({"limit": str(_l("Enter a whole number from 1 to %(n)d.", n=MAX_LIMIT))})
    return min(limit, MAX_LIMIT)


def _encode(values: tuple, *, backward: bool = False) -> str:
    plain = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    data = {"b": plain} if backward else plain
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _decode(cursor: str, key: tuple) -> tuple[tuple, bool]:
    """The key values a cursor holds, and whether it reads backward.

    A cursor comes back from the client, so it is checked like any input: each
    value must have its key column's type (an integer within the database's
    range, text that is valid Unicode, a time), else 400 ``bad_request``.
    """
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        backward = isinstance(raw, dict)
        if backward:
            raw = raw["b"]
        if not isinstance(raw, list) or len(raw) != len(key):
            raise ValueError
        return tuple(_key_value(v, column) for v, column in zip(raw, key, strict=True)), backward
    except (ValueError, TypeError, KeyError, RecursionError):
        raise BadRequest(_l("The cursor is not valid.")) from None


def _key_value(value, column):
    expected = column.type.python_type  # ``object`` for an expression of unknown type
    if expected is datetime:
        return datetime.fromisoformat(value["t"])
    if expected is object and type(value) in (str, int):
        expected = type(value)
    if type(value) is not expected:  # bool is no int here, and an int no bool
        raise ValueError
    if expected is int and not DB_INT_MIN <= value <= DB_INT_MAX:
        raise ValueError
    if expected is str:
        value.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError, a ValueError
    return value


def paginate(stmt: Select, key: tuple, key_of: Callable[[Any], tuple], *, limit: int,
             cursor: str | None, descending: bool = False, scalars: bool = True) -> Page:
    """Run ``stmt`` ordered by the ``key`` columns (all one direction) from ``cursor`` on.

    ``key_of(item)`` returns the same key's values for one result row; the
    last column of ``key`` must be unique (an id) so that the order is total.
    A backward cursor reads the page before it, returned in the usual order.
    """
    start, backward = _decode(cursor, key) if cursor else (None, False)
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
