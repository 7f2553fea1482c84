"""Every resource action: share a link, a note or a file; delete one. Typed arguments.

The doors (``api.py``, ``views.py``) parse the request and call these; each
asks ``community.access`` (through ``content.context``) whether the caller
may, validates with ``Fields`` so that problems have the contract's shapes
(400 for a wrong type, 422 ``invalid`` naming the field, 413 ``too_large``
for a file over ``UPLOAD_MAX``), writes, records a domain event and commits.

A file's type is sniffed from its bytes and its text extracted (in a
subprocess, bounded: see ``extract.py``) with no transaction open (an
idempotency claim is committed first: ``idempotency.before_slow_work``), so
no database lock is held while a parser works. The file is stored under a
server-chosen name first; if the row then fails to commit, the file is
removed again.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from .. import events, idempotency
from ..access import Action, require
from ..accounts.models import User
from ..communities.models import Community
from ..content.checks import read_body, read_title
from ..content.context import require_author_or_moderator
from ..content.tags import read_tags
from ..errors import DomainError
from ..extensions import db
from ..markup import render_with_mentions
from ..timeutil import utcnow
from ..validation import MISSING, Fields
from . import extract
from .events import ResourceDeleted, ResourceShared
from .models import Resource, ResourceTag
from .reading import resource_context
from .storage import storage

URL_MAX = 2000
FILENAME_MAX = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f\s]")
#: What a file name's ending claims, for the types whose claim is checked against the content.
_CLAIMS = {"pdf": extract.PDF, "docx": extract.DOCX, "png": "image/png", "jpg": "image/jpeg",
           "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


class TooLarge(DomainError):
    status = 413
    code = "too_large"


def _fields(**values) -> Fields:
    return Fields({name: value for name, value in values.items() if value is not MISSING})


def _read_url(fields: Fields):
    url = fields.text("url", required=True, max_len=URL_MAX)
    if isinstance(url, str) and url:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname or _CONTROL.search(url):
            fields.problem("url", _l("Give a web address starting with http:// or https://."))
    return url


def _read_description(fields: Fields, *, required: bool):
    if not required and not fields.present("description"):
        return ""
    return read_body(fields, name="description", required=required)


def _set_tags(resource_id: int, tags: list[str]) -> None:
    db.session.execute(delete(ResourceTag).where(ResourceTag.resource_id == resource_id))
    db.session.add_all(ResourceTag(resource_id=resource_id, tag=tag, position=i) for i, tag in enumerate(tags))


def _create(user: User, community: Community, kind: str, title: str, description: str, tags: list[str],
            **columns) -> Resource:
    description_html, mentions = render_with_mentions(description) if description else ("", [])
    resource = Resource(community_id=community.id, author_id=user.id, kind=kind, title=title,
                        description=description, description_html=description_html, created_at=utcnow(),
                        **columns)
    db.session.add(resource)
    db.session.flush()
    _set_tags(resource.id, tags)
    events.record(db.session, ResourceShared(resource.id, community.id, user.id, title, kind, tuple(mentions)))
    events.commit(db.session)
    return resource


def share_link(user: User, community: Community, title, url, *, description=MISSING, tags=MISSING) -> Resource:
    """A web address (``http``/``https`` only) with a title, an optional Markdown description and tags."""
    require(user, community, Action.WRITE)
    fields = _fields(title=title, url=url, description=description, tags=tags)
    title = read_title(fields, required=True)
    url = _read_url(fields)
    description = _read_description(fields, required=False)
    tags = read_tags(fields)
    fields.check()
    return _create(user, community, "link", title, description, [] if tags is MISSING else tags, url=url)


def share_note(user: User, community: Community, title, description, *, tags=MISSING) -> Resource:
    """A Markdown note: the description is the note, so it is required."""
    require(user, community, Action.WRITE)
    fields = _fields(title=title, description=description, tags=tags)
    title = read_title(fields, required=True)
    description = _read_description(fields, required=True)
    tags = read_tags(fields)
    fields.check()
    return _create(user, community, "note", title, description, [] if tags is MISSING else tags)


def _clean_filename(filename) -> str:
    """The client's name for display: its last path part, without control characters."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:FILENAME_MAX] or "file"


def share_file(user: User, community: Community, data: bytes, filename, *, title=MISSING,
               description=MISSING, tags=MISSING) -> Resource:
    """An uploaded file (at most ``UPLOAD_MAX`` bytes); the title defaults to the file's name.

    The stored type is sniffed from the bytes. A name ending in ``.pdf``,
    ``.docx`` or an image type whose content is something else is refused
    (422 on ``file``); text that cannot be extracted within the limits
    leaves the file stored and found by title, description and tags only.
    """
    require(user, community, Action.WRITE)
    config = current_app.config
    if len(data) > config["UPLOAD_MAX"]:
        raise TooLarge(_l("The file is larger than %(mb)s MiB.", mb=f"{config['UPLOAD_MAX'] / 1048576:g}"))
    filename = _clean_filename(filename)
    fields = _fields(title=filename if title is MISSING or title == "" else title,
                     description=description, tags=tags)
    title = read_title(fields, required=True)
    description = _read_description(fields, required=False)
    tags = read_tags(fields)
    if not data:
        fields.problem("file", _l("The file is empty."))
    content_type = extract.sniff(data)
    claimed = _CLAIMS.get(filename.rsplit(".", 1)[-1].lower()) if "." in filename else None
    if data and claimed and claimed != content_type:
        fields.problem("file", _l("This file is not what its name says it is."))
    fields.check()
    idempotency.before_slow_work()
    text = extract.extract_text(data, content_type, seconds=config["EXTRACT_SECONDS"],
                                pages=config["EXTRACT_PAGES"], chars=config["EXTRACT_CHARS"],
                                memory_mb=config["EXTRACT_MEMORY_MB"])
    stored_name = storage().save(data)
    try:
        return _create(user, community, "file", title, description, [] if tags is MISSING else tags,
                       filename=filename, stored_name=stored_name, size=len(data), content_type=content_type,
                       extracted_text=text.replace("\x00", "") if text else None)
    except BaseException:
        storage().delete(stored_name)
        raise


def delete_resource(user: User, resource_id: int) -> None:
    """The author (with write access) or a moderator deletes a resource; a file goes from storage after the commit."""
    ctx = resource_context(user, resource_id, writing=True)
    resource = ctx.item
    require_author_or_moderator(user, ctx, resource, _l("Only its author or a moderator may delete this."))
    events.record(db.session, ResourceDeleted(resource.id, resource.community_id, user.id, resource.stored_name,
                                              by_moderator=resource.author_id != user.id, title=resource.title))
    db.session.execute(delete(ResourceTag).where(ResourceTag.resource_id == resource.id))
    db.session.delete(resource)
    events.commit(db.session)
