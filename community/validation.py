"""Checking request data field by field, collecting every problem at once.

Services take plain dicts (parsed JSON, or a form turned into a dict) and run
them through a ``Fields`` so that the API and the HTML pages share one set of
rules: a wrong type is a 400 ``bad_request``, a wrong value a 422 ``invalid``,
each naming the field.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from .errors import BadRequest, Invalid
from .timeutil import parse_datetime

MISSING = object()


class Fields:
    def __init__(self, data, *, from_form: bool = False):
        if not isinstance(data, dict):
            raise BadRequest(_l("The request body must be a JSON object."))
        self.data = data
        self.from_form = from_form  # form values arrive as strings; "" means absent
        self.problems: dict[str, str] = {}
        self.wrong_types: dict[str, str] = {}

    def present(self, name: str) -> bool:
        return name in self.data and not (self.from_form and self.data[name] in ("", None))

    def _raw(self, name: str, required: bool, nullable: bool = False):
        """The raw value, or MISSING; ``null`` for a field that takes no null counts as not sent."""
        if not self.present(name) or (self.data[name] is None and not nullable):
            if required:
                self.problems[name] = str(_l("This field is required."))
            return MISSING
        return self.data[name]

    def _wrong(self, name: str, expected: str):
        self.wrong_types[name] = str(_l("Expected %(kind)s.", kind=expected))
        return MISSING

    def text(self, name: str, *, required: bool = False, min_len: int = 0,
             max_len: int | None = None, pattern: re.Pattern | None = None,
             pattern_message: str | None = None, nullable: bool = False,
             strip: bool = True):
        value = self._raw(name, required, nullable)
        if value is MISSING:
            return MISSING
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            return self._wrong(name, "a string")
        if strip:
            value = value.strip()
        if len(value) < min_len:
            self.problems[name] = (str(_l("This field is required.")) if not value else
                                   str(_l("Use at least %(n)d characters.", n=min_len)))
        elif max_len is not None and len(value) > max_len:
            self.problems[name] = str(_l("Use at most %(n)d characters.", n=max_len))
        elif pattern is not None and value and not pattern.fullmatch(value):
            self.problems[name] = pattern_message or str(_l("This value has the wrong form."))
        return value

    def choice(self, name: str, options: tuple[str, ...], *, required: bool = False):
        value = self._raw(name, required)
        if value is MISSING:
            return MISSING
        if not isinstance(value, str):
            return self._wrong(name, "a string")
        if value not in options:
            self.problems[name] = str(_l("Choose one of: %(options)s.", options=", ".join(options)))
        return value

    def integer(self, name: str, *, required: bool = False, minimum: int | None = None,
                maximum: int | None = None, nullable: bool = False):
        value = self._raw(name, required, nullable)
        if value is MISSING:
            return MISSING
        if value is None and nullable:
            return None
        if self.from_form and isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                self.problems[name] = str(_l("Enter a whole number."))
                return MISSING
        if isinstance(value, bool) or not isinstance(value, int):
            return self._wrong(name, "an integer")
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.problems[name] = str(_l("Enter a number from %(lo)s to %(hi)s.",
                                         lo=minimum if minimum is not None else "…",
                                         hi=maximum if maximum is not None else "…"))
        return value

    def boolean(self, name: str, *, required: bool = False):
        value = self._raw(name, required)
        if value is MISSING:
            return MISSING
        if self.from_form and isinstance(value, str):
            return value.lower() in ("1", "on", "true", "yes")
        if not isinstance(value, bool):
            return self._wrong(name, "true or false")
        return value

    def day(self, name: str, *, required: bool = False, nullable: bool = True):
        value = self._raw(name, required, nullable)
        if value is MISSING or (value is None and nullable):
            return value
        if not isinstance(value, str):
            return self._wrong(name, "a date (YYYY-MM-DD)")
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            self.problems[name] = str(_l("Enter a date as YYYY-MM-DD."))
            return MISSING

    def moment(self, name: str, *, required: bool = False, nullable: bool = True) -> datetime | None:
        value = self._raw(name, required, nullable)
        if value is MISSING or (value is None and nullable):
            return value
        if not isinstance(value, str):
            return self._wrong(name, "a date and time (ISO 8601)")
        try:
            return parse_datetime(value)
        except ValueError:
            self.problems[name] = str(_l("Enter a date and time in ISO 8601."))
            return MISSING

    def problem(self, name: str, message: str) -> None:
        self.problems.setdefault(name, str(message))

    def check(self) -> None:
        """Raise for the first kind of trouble found: wrong types, then bad values."""
        if self.wrong_types:
            raise BadRequest(_l("Some fields have the wrong type."), fields=self.wrong_types)
        if self.problems:
            raise Invalid(self.problems)
