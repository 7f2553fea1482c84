"""Saving, listing, changing and removing bookmarks, always as their owner and through the owner's access.

Saving an item needs the right to read it now (``content.targets.load``:
else ``NotFound``). Listing reads each bookmarked item the same way and
leaves out those its owner can no longer read; ``q`` finds a bookmark by
its note or by the item's title and text. A list page is filled from
pages of bookmarks read newest first, so items left out do not make it
shorter, and its cursor is the id of the last bookmark looked at.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import events
from ..content import targets
from ..errors import BadRequest, NotFound
from ..extensions import db
from ..pagination import Page
from ..validation import MISSING, Fields
from .models import Bookmark

NOTE_MAX = 1000
SCAN_MAX = 1000  # bookmarks looked at for one page at most: the cursor carries on from there


@dataclass
class Saved:
    """A bookmark with its item as the owner may see it now."""

    bookmark: Bookmark
    target: targets.Target


def read_bookmark_request(data: dict) -> tuple[str, int, str | None]:
    fields = Fields(data)
    target_type = fields.choice("target_type", targets.KINDS, required=True)
    target_id = fields.integer("target_id", required=True, minimum=1)
    note = fields.text("note", max_len=NOTE_MAX, multiline=True, nullable=True)
    fields.check()
    return target_type, target_id, None if note is MISSING else (note or "")


def read_note(data: dict) -> str:
    fields = Fields(data)
    note = fields.text("note", required=True, max_len=NOTE_MAX, multiline=True, nullable=True)
    fields.check()
    return note or ""


def _find(user, target_type: str, target_id: int) -> Bookmark | None:
    return db.session.scalar(select(Bookmark).where(Bookmark.user_id == user.id, Bookmark.target_type == target_type,
                                                    Bookmark.target_id == target_id))


def save(user, target_type: str, target_id: int, note: str | None) -> tuple[Saved, bool]:
    """Bookmark an item ``user`` may read; the same item again replaces the note (given) and is not new."""
    target = targets.load(user, target_type, target_id)
    bookmark = _find(user, target_type, target_id)
    created = bookmark is None
    if created:
        try:
            with db.session.begin_nested():
                bookmark = Bookmark(user_id=user.id, target_type=target_type, target_id=target_id, note=note or "")
                db.session.add(bookmark)
        except IntegrityError:  # the same save a moment ago (a double tap): that one it is
            bookmark, created = _find(user, target_type, target_id), False
    if not created and note is not None:
        bookmark.note = note
    events.commit(db.session)
    return Saved(bookmark, target), created


def _own(user, bookmark_id: int) -> Bookmark:
    """The caller's own bookmark; anyone else's is ``NotFound``, as one that does not exist."""
    bookmark = db.session.get(Bookmark, bookmark_id)
    if bookmark is None or bookmark.user_id != user.id:
        raise NotFound()
    return bookmark


def _shown(user, bookmark: Bookmark) -> targets.Target | None:
    try:
        return targets.load(user, bookmark.target_type, bookmark.target_id)
    except NotFound:
        return None


def change_note(user, bookmark_id: int, note: str) -> Saved:
    bookmark = _own(user, bookmark_id)
    target = _shown(user, bookmark)
    if target is None:
        raise NotFound()  # an item they can no longer read is not in their list either
    bookmark.note = note
    events.commit(db.session)
    return Saved(bookmark, target)


def remove(user, bookmark_id: int) -> None:
    db.session.delete(_own(user, bookmark_id))
    events.commit(db.session)


def _matches(saved: Saved, words: list[str]) -> bool:
    text = " ".join((saved.bookmark.note, saved.target.label, saved.target.excerpt)).casefold()
    return all(word in text for word in words)


def list_saved(user, *, q: str | None = None, limit: int = 20, cursor: str | None = None) -> Page:
    """The owner's bookmarks they may still read (matching ``q``), newest first; items are ``Saved``."""
    if cursor is not None and not cursor.isdigit():
        raise BadRequest(_l("The cursor is not valid."))
    before = int(cursor) if cursor else None
    words = (q or "").casefold().split()
    found: list[Saved] = []
    looked, last = 0, None
    while len(found) < limit and looked < SCAN_MAX:
        stmt = select(Bookmark).where(Bookmark.user_id == user.id)
        if before is not None:
            stmt = stmt.where(Bookmark.id < before)
        batch = list(db.session.scalars(stmt.order_by(Bookmark.id.desc()).limit(limit * 2)))
        if not batch:
            last = None
            break
        for bookmark in batch:
            looked += 1
            last = before = bookmark.id
            target = _shown(user, bookmark)
            if target is not None and (not words or _matches(Saved(bookmark, target), words)):
                found.append(Saved(bookmark, target))
                if len(found) == limit:
                    break
    more = last is not None and db.session.scalar(
        select(Bookmark.id).where(Bookmark.user_id == user.id, Bookmark.id < last).limit(1)) is not None
    return Page(found, str(last) if more else None)
