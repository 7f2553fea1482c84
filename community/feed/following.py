"""Following a tag: one row per person and tag; following again or unfollowing twice changes nothing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from .. import events
from ..content.tags import TAG, normalize_tag
from ..database import insert_ignore
from ..errors import Invalid
from ..extensions import db
from .models import TagFollow


def _tag(raw: str) -> str:
    tag = normalize_tag(raw or "")
    if not TAG.fullmatch(tag):
        raise Invalid({"tag": str(_l("Use lowercase letters, digits and single hyphens."))})
    return tag


def follow(user, raw: str) -> str:
    tag = _tag(raw)
    insert_ignore(TagFollow, user_id=user.id, tag=tag)
    events.commit(db.session)
    return tag


def unfollow(user, raw: str) -> str:
    tag = _tag(raw)
    db.session.execute(delete(TagFollow).where(TagFollow.user_id == user.id, TagFollow.tag == tag))
    events.commit(db.session)
    return tag


def followed(user) -> list[str]:
    return list(db.session.scalars(select(TagFollow.tag).where(TagFollow.user_id == user.id).order_by(TagFollow.tag)))
