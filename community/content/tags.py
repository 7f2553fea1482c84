"""Tag rules from the contract: lowercase ``a-z0-9-``, 1-30 characters, at most 5.

Shared by threads, questions and resources: tags are the unit of expertise,
so a tag means the same thing wherever it is used.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from ..validation import EXPECTED_TEXTS, MISSING, Fields

TAG_LENGTH = 30
TAG = re.compile(rf"[a-z0-9-]{{1,{TAG_LENGTH}}}")
TAGS_MAX = 5
#: The tags field's hint on every form that has one: both limits, before anyone hits them.
HINT = _l("Up to %(count)d, separated by commas, each at most %(length)d characters: lowercase letters, "
          "digits and hyphens. A space inside a tag becomes a hyphen.", count=TAGS_MAX, length=TAG_LENGTH)
_SPACES = re.compile(r"-*\s[\s-]*")  # a run of spaces, with any hyphens around it


def normalize_tag(raw: str) -> str:
    """``" Veiligheid "`` -> ``"veiligheid"``; the result may still be invalid."""
    return raw.strip().lower()


def typed_tags(text: str) -> list[str]:
    """What someone types into a tags field: tags separated by commas (only commas: the
    hint says so); spaces inside one tag become a hyphen, so ``Koude Handen`` is
    ``koude-handen``, not two tags."""
    return [_SPACES.sub("-", part.strip()) for part in text.split(",") if part.strip()]


_INVALID = _l("Tags use lowercase letters, digits and hyphens, 1 to %(length)d characters.", length=TAG_LENGTH)


def read_one_tag(fields: Fields, name: str = "tag"):
    """One valid tag (``Veiligheid`` is ``veiligheid``), required: endorsing someone on it, say."""
    tag = fields.text(name, required=True, max_len=TAG_LENGTH)
    if isinstance(tag, str) and tag:
        tag = normalize_tag(tag)
        if not TAG.fullmatch(tag):
            fields.problem(name, _INVALID)
    return tag


def read_tags(fields: Fields, name: str = "tags", *, maximum: int = TAGS_MAX):
    """A list of valid, distinct tags in the order given (at most ``maximum``), or ``MISSING`` if absent.

    JSON sends a list of strings, taken as they are (lowercased); an HTML form
    sends one string, read by ``typed_tags``.
    """
    if name not in fields.data:
        return MISSING
    raw = fields.data[name]
    if raw is None or (fields.from_form and raw == ""):
        raw = []  # an emptied form field clears the tags
    if fields.from_form and isinstance(raw, str):
        raw = typed_tags(raw)
    if not isinstance(raw, list) or not all(isinstance(tag, str) for tag in raw):
        fields.wrong_types[name] = str(EXPECTED_TEXTS)
        return MISSING
    tags: list[str] = []
    for tag in map(normalize_tag, raw):
        if not TAG.fullmatch(tag):
            fields.problem(name, _INVALID)
            return MISSING
        if tag not in tags:
            tags.append(tag)
    if len(tags) > maximum:
        fields.problem(name, _l("Use at most %(n)d tags.", n=maximum))
        return MISSING
    return tags
