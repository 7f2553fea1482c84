"""Tag rules from the contract: lowercase ``a-z0-9-``, 1-30 characters, at most 5.

Kept apart from the thread service because questions and resources use the
same rules; it could move to ``community/validation.py`` as ``Fields.tags``.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from ..validation import EXPECTED_TEXTS, MISSING, Fields

TAG = re.compile(r"[a-z0-9-]{1,30}")
TAGS_MAX = 5


def normalize_tag(raw: str) -> str:
    """``" Veiligheid "`` -> ``"veiligheid"``; the result may still be invalid."""
    return raw.strip().lower()


def read_tags(fields: Fields, name: str = "tags"):
    """A list of valid, distinct tags in the order given, or ``MISSING`` if absent.

    JSON sends a list of strings; an HTML form sends one string with the tags
    separated by commas or spaces.
    """
    if name not in fields.data:
        return MISSING
    raw = fields.data[name]
    if raw is None or (fields.from_form and raw == ""):
        raw = []  # an emptied form field clears the tags
    if fields.from_form and isinstance(raw, str):
        raw = [part for part in re.split(r"[,\s]+", raw) if part]
    if not isinstance(raw, list) or not all(isinstance(tag, str) for tag in raw):
        fields.wrong_types[name] = str(EXPECTED_TEXTS)
        return MISSING
    tags: list[str] = []
    for tag in map(normalize_tag, raw):
        if not TAG.fullmatch(tag):
            fields.problem(name, _l("Tags use lowercase letters, digits and hyphens, 1 to 30 characters."))
            return MISSING
        if tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        fields.problem(name, _l("Use at most %(n)d tags.", n=TAGS_MAX))
        return MISSING
    return tags
