"""A person's feed: picked from what they may read, put in order by ``ranking.feed_key``.

Candidates are the newest ``PER_SOURCE`` items of each kind in each
community the reader is an active member of, and on each tag they follow
or are an expert in, in any community they may read
(``access.readable_filter``). Hidden items are never candidates. The
order is ``ranking``'s alone; a page is a slice of that order (the cursor
is where the slice starts): a feed is for what is new, not an archive.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, union_all

from ..access import readable_filter
from ..communities.models import Community, Membership
from ..discussions.models import Thread, ThreadTag
from ..discussions.reading import thread_tags
from ..errors import BadRequest
from ..extensions import db
from ..pagination import Page
from ..qa import expertise
from ..qa.events import question_url
from ..qa.models import Question, QuestionTag
from ..qa.reading import question_tags
from ..resources.events import resource_url
from ..resources.models import Resource, ResourceTag
from ..resources.reading import tags_of
from ..urls import site_path
from .models import TagFollow
from .ranking import REASONS, Candidate, order, tier

PER_SOURCE = 12  # newest items of a kind per community and per tag that may go into the feed


def followed_tags(user) -> set[str]:
    return set(db.session.scalars(select(TagFollow.tag).where(TagFollow.user_id == user.id)))


def expertise_tags(user) -> set[str]:
    return {entry["tag"] for entry in expertise.user_expertise(user)}


def _member_of(user) -> list[int]:
    return list(db.session.scalars(select(Membership.community_id).where(
        Membership.user_id == user.id, Membership.state == "active").order_by(Membership.community_id)))


@lru_cache(maxsize=128)
def _in_communities(model, count: int):
    """The newest ``PER_SOURCE`` ids of ``model`` in each of ``count`` communities (``c0`` … bound at run time).

    Built once per kind and count: building 30 small selects cost more than running them.
    """
    return union_all(*(select(model.id).where(model.community_id == bindparam(f"c{i}"), model.hidden_at.is_(None))
                       .order_by(model.created_at.desc(), model.id.desc()).limit(PER_SOURCE).subquery().select()
                       for i in range(count)))


@lru_cache(maxsize=128)
def _on_tags(model, tag_model, tag_fk, count: int):
    """The newest ``PER_SOURCE`` ids of ``model`` on each of ``count`` tags (``t0`` …) in the ``readable``
    communities: a tag's index ``(tag, id)`` walked backwards, ids growing with time."""
    return union_all(*(select(tag_fk).join(model, model.id == tag_fk)
                       .where(tag_model.tag == bindparam(f"t{i}"), model.hidden_at.is_(None),
                              model.community_id.in_(bindparam("readable", expanding=True)))
                       .order_by(tag_fk.desc()).limit(PER_SOURCE).subquery().select() for i in range(count)))


def _newest(model, tag_model, tag_fk, tags: set[str], communities: list[int], readable: list[int]) -> set[int]:
    """The newest ids of ``model`` in each of the reader's communities, and on each of their tags in the
    communities they may read: small index walks, each stopping at ``PER_SOURCE``, so the cost does not
    grow with the content."""
    ids: set[int] = set()
    if communities:
        ids.update(db.session.scalars(_in_communities(model, len(communities)),
                                      {f"c{i}": cid for i, cid in enumerate(communities)}))
    if tags and readable:
        ids.update(db.session.scalars(_on_tags(model, tag_model, tag_fk, len(tags)),
                                      {"readable": readable, **{f"t{i}": tag for i, tag in enumerate(sorted(tags))}}))
    return ids


def _slugs(community_ids) -> dict[int, str]:
    return dict(db.session.execute(select(Community.id, Community.slug).where(Community.id.in_(community_ids))).all())


def _rows(*columns, where):
    return db.session.execute(select(*columns).where(where)).all()


def candidates(user, tags: set[str]) -> list[Candidate]:
    """Every candidate with what its place depends on; titles and communities ride along (``extra``)."""
    communities = _member_of(user)
    readable = list(db.session.scalars(select(Community.id).where(readable_filter(user)))) if tags else []
    q_ids = _newest(Question, QuestionTag, QuestionTag.question_id, tags, communities, readable)
    t_ids = _newest(Thread, ThreadTag, ThreadTag.thread_id, tags, communities, readable)
    r_ids = _newest(Resource, ResourceTag, ResourceTag.resource_id, tags, communities, readable)
    questions = _rows(Question.id, Question.community_id, Question.title, Question.created_at, Question.score,
                      Question.answer_count, where=Question.id.in_(q_ids)) if q_ids else []
    threads = _rows(Thread.id, Thread.community_id, Thread.title, Thread.created_at, Thread.reply_count,
                    where=Thread.id.in_(t_ids)) if t_ids else []
    resources = _rows(Resource.id, Resource.community_id, Resource.title, Resource.created_at,
                      where=Resource.id.in_(r_ids)) if r_ids else []
    q_tags, t_tags, r_tags = question_tags(list(q_ids)), thread_tags(list(t_ids)), tags_of(list(r_ids))
    found = [Candidate("question", qid, created, tuple(q_tags.get(qid, ())), answers == 0, max(score, 0) + answers,
                       {"title": title, "community_id": cid, "answers": answers})
             for qid, cid, title, created, score, answers in questions]
    found += [Candidate("thread", tid, created, tuple(t_tags.get(tid, ())), False, replies,
                        {"title": title, "community_id": cid, "replies": replies})
              for tid, cid, title, created, replies in threads]
    found += [Candidate("resource", rid, created, tuple(r_tags.get(rid, ())), False, 0,
                        {"title": title, "community_id": cid})
              for rid, cid, title, created in resources]
    return found


_URLS = {"question": lambda i: question_url(i), "resource": lambda i: resource_url(i),
         "thread": lambda i: site_path("discussions.show_thread", thread_id=i)}


def _link(items: list[Candidate]) -> None:
    """Each shown item's address and community, built for the page only (not for every candidate)."""
    slugs = _slugs({item.extra["community_id"] for item in items})
    for item in items:
        item.extra["url"] = _URLS[item.type](item.id)
        item.extra["community"] = slugs.get(item.extra["community_id"])


def feed(user, *, limit: int = 20, cursor: str | None = None) -> Page:
    """A page of the reader's feed: ``(Candidate, reason)``, reason ``expertise``, ``tag`` or ``community``."""
    if cursor is not None and not cursor.isdigit():
        raise BadRequest(_l("The cursor is not valid."))
    start = int(cursor or 0)
    mine, followed = expertise_tags(user), followed_tags(user)
    ranked = order(candidates(user, mine | followed), mine, followed)
    chosen = ranked[start:start + limit]
    _link(chosen)
    more = start + limit < len(ranked)
    return Page([(item, REASONS[tier(item, mine, followed)]) for item in chosen], str(start + limit) if more else None)


HOME_ITEMS = 8


def home_context(user) -> dict:
    """The home page's "For you" list: the first items of the feed."""
    return {"feed_items": feed(user, limit=HOME_ITEMS).items}
