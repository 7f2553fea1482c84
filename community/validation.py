"""Checking request data field by field, collecting every problem at once.

Services take plain dicts (parsed JSON, or a form turned into a dict) and run
them through a ``Fields`` so that the API and the HTML pages share one set of
rules: a wrong type is a 400 ``bad_request``, a wrong value a 422 ``invalid``,
each naming the field.

All user text passes ``Fields.text``, which normalises it with
``normalize_text`` and measures it with ``visible_length``: nothing else
needs to think about NUL characters, right-to-left overrides or a title made
of zero-width spaces. Passwords are the exception (``Fields.secret``).
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from .errors import BadRequest, Invalid
from .timeutil import parse_datetime

MISSING = object()

# What a field of the wrong type is told: each a whole sentence, so that a
# translation never has English words inside it.
EXPECTED_TEXT = _l("Expected a string.")
EXPECTED_INTEGER = _l("Expected an integer.")
EXPECTED_BOOLEAN = _l("Expected true or false.")
EXPECTED_DATE = _l("Expected a date (YYYY-MM-DD).")
EXPECTED_MOMENT = _l("Expected a date and time (ISO 8601).")
EXPECTED_INTEGERS = _l("Expected a list of integers.")
EXPECTED_TEXTS = _l("Expected a list of strings.")

# Integers reach the database as signed 64-bit values (SQLite's INTEGER; on
# PostgreSQL an int8 parameter, which compares with our int4 columns): a number
# outside this range is no id of anything, and handing it to the driver raises
# OverflowError. Every integer a client sends is held to it.
DB_INT_MIN, DB_INT_MAX = -(2**63), 2**63 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in routes, app-wide: an id past the database's range is a 404."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, *args, **kwargs)
        self.max = DB_INT_MAX if self.max is None else min(self.max, DB_INT_MAX)
        self.min = DB_INT_MIN if self.min is None else max(self.min, DB_INT_MIN)


# C0 and C1 control characters and DEL; a multi-line text keeps tab and newline.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n?")
# In one line: tab, line breaks (and the Unicode line and paragraph separators) become a space ...
_ONE_LINE_SPACES = re.compile("[\t\n\r\u2028\u2029]")
# ... and these go: bidi embedding, override and isolate controls (a name that
# reads backwards), and zero-width characters that join nothing: the zero-width
# space, the word joiner and a stray byte order mark. ZWJ and ZWNJ stay: emoji
# sequences (👩‍🔧) and Persian or Indic words need them.
_ONE_LINE_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
# Trimmed from both ends of a field: white space and the zero-width characters.
_EDGES = re.compile("^[\\s\u200b-\u200d\u2060\ufeff]+|[\\s\u200b-\u200d\u2060\ufeff]+$")


def normalize_text(value: str, *, multiline: bool) -> str:
    """User text as it is stored: the same for every field and every door.

    - NFC, so that "é" typed as e + accent is the "é" a search or a unique
      name compares with;
    - no NUL or other C0/C1 control character; a ``multiline`` text (a post,
      a bio, a description) keeps tab and newline, with ``\\r\\n`` and ``\\r``
      made ``\\n``;
    - a one-line text (a name, a title) has tabs and line breaks as spaces and
      loses bidi controls (U+202A–U+202E, U+2066–U+2069) and the zero-width
      space, word joiner and BOM. A multi-line text keeps those: Arabic or
      Hebrew paragraphs can need them, and they cannot reorder a name there.

    Letters of every script, combining marks and emoji are left as they are.
    Trimming and lengths are ``Fields.text``'s part (see ``visible_length``).
    """
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if multiline:
        return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", value))
    return _ONE_LINE_INVISIBLE.sub("", _CONTROLS.sub("", _ONE_LINE_SPACES.sub(" ", value)))


def visible_length(text: str) -> int:
    """Characters that show: format characters (Unicode category Cf: zero-width
    space and joiners, bidi controls, soft hyphen, BOM) do not count, so a title
    of four zero-width spaces has length 0."""
    if text.isascii():
        return len(text)
    return len(_format_characters().sub("", text))


@functools.cache
def _format_characters() -> re.Pattern:
    """All of category Cf as one character class, built once (about 0.1 s) on first use:
    a regular expression counts a 20,000-character post ten times faster than a loop."""
    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)) == "Cf":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


def _is_blank(text: str) -> bool:
    """Nothing but white space and invisible characters (stops at the first visible one)."""
    return not any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


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

    def _wrong(self, name: str, message):
        """Record a wrong type with one of the ``EXPECTED_*`` sentences."""
        self.wrong_types[name] = str(message)
        return MISSING

    def text(self, name: str, *, required: bool = False, min_len: int = 0,
             max_len: int | None = None, pattern: re.Pattern | None = None,
             pattern_message: str | None = None, nullable: bool = False,
             strip: bool = True, multiline: bool = False):
        """User text, normalised (``normalize_text``), with lengths in visible characters.

        ``strip`` trims white space and zero-width characters from both ends
        (bodies keep theirs: Markdown indentation means code). Text with
        nothing visible in it is ``""``, so ``required`` or ``min_len`` refuse
        it. A one-line text also keeps within ``max_len`` stored characters,
        joiners included: one-line fields live in columns of that size.
        """
        value = self._raw(name, required, nullable)
        if value is MISSING:
            return MISSING
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            return self._wrong(name, EXPECTED_TEXT)
        value = normalize_text(value, multiline=multiline)
        if strip:
            value = _EDGES.sub("", value)
        if _is_blank(value):
            value = ""
        length = visible_length(value)
        stored = length if multiline else len(value)
        if length < min_len:
            self.problems[name] = (str(_l("This field is required.")) if not value else
                                   str(_l("Use at least %(n)d characters.", n=min_len)))
        elif max_len is not None and max(length, stored) > max_len:
            self.problems[name] = str(_l("Use at most %(n)d characters.", n=max_len))
        elif pattern is not None and value and not pattern.fullmatch(value):
            self.problems[name] = pattern_message or str(_l("This value has the wrong form."))
        return value

    def secret(self, name: str, *, required: bool = False, min_len: int = 0, max_len: int | None = None):
        """A password exactly as typed: never normalised, so the same keys always give the same hash."""
        value = self._raw(name, required)
        if value is MISSING:
            return MISSING
        if not isinstance(value, str):
            return self._wrong(name, EXPECTED_TEXT)
        if len(value) < min_len:
            self.problems[name] = (str(_l("This field is required.")) if not value else
                                   str(_l("Use at least %(n)d characters.", n=min_len)))
        elif max_len is not None and len(value) > max_len:
            self.problems[name] = str(_l("Use at most %(n)d characters.", n=max_len))
        return value

    def choice(self, name: str, options: tuple[str, ...], *, required: bool = False):
        value = self._raw(name, required)
        if value is MISSING:
            return MISSING
        if not isinstance(value, str):
            return self._wrong(name, EXPECTED_TEXT)
        if value not in options:
            self.problems[name] = str(_l("Choose one of: %(options)s.", options=", ".join(options)))
        return value

    def integer(self, name: str, *, required: bool = False, minimum: int | None = None,
                maximum: int | None = None, nullable: bool = False):
        """A whole number within ``minimum``..``maximum`` and always within the database's range."""
        value = self._raw(name, required, nullable)
        if value is MISSING:
            return MISSING
        if value is None and nullable:
            return None
        value = self._whole_number(name, value)
        if value is MISSING:
            return MISSING
        if not _in_range(value, minimum, maximum):
            self.problems[name] = _range_message(minimum, maximum)
        return value

    def integers(self, name: str, *, required: bool = False, minimum: int | None = None,
                 maximum: int | None = None, max_items: int = 1000) -> list[int]:
        """A list of whole numbers (a form sends them comma-separated), each as ``integer`` checks it.

        At most ``max_items``: a list becomes one SQL parameter per item, and
        databases refuse a statement with tens of thousands of them.
        """
        value = self._raw(name, required)
        if value is MISSING:
            return MISSING
        if self.from_form and isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            return self._wrong(name, EXPECTED_INTEGERS)
        if len(value) > max_items:
            self.problems[name] = str(_l("Give at most %(n)d.", n=max_items))
            return MISSING
        numbers = [self._whole_number(name, item, EXPECTED_INTEGERS) for item in value]
        if name in self.wrong_types or name in self.problems:
            return MISSING
        if not all(_in_range(n, minimum, maximum) for n in numbers):
            self.problems[name] = _range_message(minimum, maximum)
        return numbers

    def _whole_number(self, name: str, value, wrong=EXPECTED_INTEGER):
        if self.from_form and isinstance(value, str):
            try:
                return int(value)
            except ValueError:  # also for more than 4,300 digits
                self.problems[name] = str(_l("Enter a whole number."))
                return MISSING
        if isinstance(value, bool) or not isinstance(value, int):
            return self._wrong(name, wrong)
        return value

    def boolean(self, name: str, *, required: bool = False):
        value = self._raw(name, required)
        if value is MISSING:
            return MISSING
        if self.from_form and isinstance(value, str):
            return value.lower() in ("1", "on", "true", "yes")
        if not isinstance(value, bool):
            return self._wrong(name, EXPECTED_BOOLEAN)
        return value

    def day(self, name: str, *, required: bool = False, nullable: bool = True):
        value = self._raw(name, required, nullable)
        if value is MISSING or (value is None and nullable):
            return value
        if not isinstance(value, str):
            return self._wrong(name, EXPECTED_DATE)
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
            return self._wrong(name, EXPECTED_MOMENT)
        try:
            return parse_datetime(value)
        except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 moved into UTC
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


def _in_range(value: int, minimum: int | None, maximum: int | None) -> bool:
    low = DB_INT_MIN if minimum is None else max(minimum, DB_INT_MIN)
    high = DB_INT_MAX if maximum is None else min(maximum, DB_INT_MAX)
    return low <= value <= high


def _range_message(minimum: int | None, maximum: int | None) -> str:
    return str(_l("Enter a number from %(lo)s to %(hi)s.",
                  lo=minimum if minimum is not None else "…", hi=maximum if maximum is not None else "…"))
