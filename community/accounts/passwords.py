"""What a password must be: one rule for registering and for changing it.

At least ``PASSWORD_MIN`` characters (the contract), at least one of them
visible, not one of the 20,000 passwords every attacker tries first, and not
the person's own username or email address. The list is a maintained one
(see ``data/README.md``), not typed by hand, and compared as Django compares
it: trimmed and lowercased.
"""

from __future__ import annotations

import gzip
import unicodedata
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

PASSWORD_MIN = 10
PASSWORD_MAX = 1024
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt.gz"

# The one sentence the forms show under the field, so the rule is known before it is broken.
RULE = _l("At least %(n)d characters, not your username or email address and not a common password. "
          "A short sentence is easy to remember.", n=PASSWORD_MIN)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The list, read once per process on first use (about 20,000 entries)."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def _visible(ch: str) -> bool:
    # Separators (Z*), controls (Cc), format characters such as zero-width
    # spaces (Cf), surrogates and unassigned code points show nothing.
    return not ch.isspace() and unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Cn", "Zs", "Zl", "Zp"}


def password_problem(password: str, *, username: str | None, email: str | None) -> str | None:
    """Why ``password`` is not good enough for this person, or None.

    Length is checked by the caller's field rules; this adds what a length
    cannot tell. ``username`` and ``email`` may be None when they are not
    known (yet).
    """
    if not any(_visible(ch) for ch in password):
        return str(_l("Use letters, digits or symbols: spaces and invisible characters alone are not a password."))
    folded = password.strip().lower()
    own = {value.strip().lower() for value in (username, email) if value}
    if email and "@" in email:
        own.add(email.strip().lower().rsplit("@", 1)[0])
    if folded in own:
        return str(_l("Your password may not be your username or email address."))
    if folded in common_passwords():
        return str(_l("This is one of the most common passwords. Choose another, for example a short sentence."))
    return None
