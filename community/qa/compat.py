"""The shared content helpers Q&A builds on, in one place while they move out of discussions.

When the shared content layer (``community/content``, ``database.insert_ignore``)
is on this branch, these names point there; until then they are
discussions' originals.
"""

from __future__ import annotations

from ..discussions.api import Authors
from ..discussions.service import _insert_ignore as insert_ignore
from ..discussions.service import _read_body as read_body
from ..discussions.service import _read_title as read_title
from ..discussions.tags import HINT, TAG, TAG_LENGTH, normalize_tag, read_tags

__all__ = ["HINT", "TAG", "TAG_LENGTH", "Authors", "insert_ignore", "normalize_tag", "read_body", "read_tags",
           "read_title"]
