"""Expertise figures from the facts: declarations, recognitions, endorsements, accepted answers.

Nothing here is a counter that could drift: accepted answers are counted
from the questions' ``accepted_answer_id``, endorsements from their rows,
response times from ``ExpertRequest``. Each gatherer answers for many tags
or many people in a fixed number of grouped queries, so a tag list, a
question list's authors or a routing decision costs the same few queries
whatever their number.

``viewer`` decides which accepted answers count: those in communities the
viewer may read (``access.readable_filter``), so that a profile or an
expert list never tells an outsider that someone is active in a private
community. ``EVERYONE`` counts all of them: for routing, whose outcome only
the server and the notified experts see.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable

from flask import current_app, g, has_request_context
from sqlalchemy import and_, func, select

from ..access import Action, decide, readable_filter
from ..accounts.models import User
from ..communities.models import Community, Membership
from ..extensions import db
from .models import Answer, Endorsement, Expertise, ExpertRequest, Question, QuestionTag
from .ranking import LEVELS, ExpertStats, level_of, rank_experts, stronger

EVERYONE = object()


def proven_after() -> int:
    return int(current_app.config["EXPERT_PROVEN_AFTER"])


def _filters(tag_col, user_col, tags, user_ids) -> list:
    where = []
    if tags is not None:
        where.append(tag_col.in_(tags))
    if user_ids is not None:
        where.append(user_col.in_(user_ids))
    return where


def accepted_counts(*, tags=None, user_ids=None, viewer=EVERYONE) -> dict[tuple[str, int], int]:
    """Accepted answers per (tag, author), in questions ``viewer`` may read."""
    # Joined through the answer's own question (its primary key) as well as the acceptance,
    # so that the planner can start from the authors' answers (an index) or a tag's questions.
    stmt = (select(QuestionTag.tag, Answer.author_id, func.count())
            .select_from(Answer)
            .join(Question, and_(Question.id == Answer.question_id, Question.accepted_answer_id == Answer.id))
            .join(QuestionTag, QuestionTag.question_id == Question.id)
            .where(Answer.author_id.is_not(None), *_filters(QuestionTag.tag, Answer.author_id, tags, user_ids))
            .group_by(QuestionTag.tag, Answer.author_id))
    if viewer is not EVERYONE:
        stmt = stmt.join(Community, Community.id == Question.community_id).where(readable_filter(viewer))
    return {(tag, uid): n for tag, uid, n in db.session.execute(stmt)}


def endorsement_counts(*, tags=None, user_ids=None) -> dict[tuple[str, int], int]:
    stmt = (select(Endorsement.tag, Endorsement.user_id, func.count())
            .where(*_filters(Endorsement.tag, Endorsement.user_id, tags, user_ids))
            .group_by(Endorsement.tag, Endorsement.user_id))
    return {(tag, uid): n for tag, uid, n in db.session.execute(stmt)}


def flags(*, tags=None, user_ids=None) -> dict[tuple[str, int], tuple[bool, bool]]:
    """(declared, recognized) per (tag, person)."""
    stmt = (select(Expertise.tag, Expertise.user_id, Expertise.declared, Expertise.recognized)
            .where(*_filters(Expertise.tag, Expertise.user_id, tags, user_ids)))
    return {(tag, uid): (declared, recognized) for tag, uid, declared, recognized in db.session.execute(stmt)}


def response_medians(user_ids: Iterable[int]) -> dict[int, float]:
    """Each person's median seconds from an expert request to their first answer to it.

    Requests never answered do not count: the median says how fast someone
    is when they answer; how often they answer shows in accepted answers.
    """
    ids = set(user_ids)
    if not ids:
        return {}
    times: dict[int, list[float]] = defaultdict(list)
    rows = db.session.execute(select(ExpertRequest.user_id, ExpertRequest.asked_at, ExpertRequest.answered_at)
                              .where(ExpertRequest.user_id.in_(ids), ExpertRequest.answered_at.is_not(None)))
    for uid, asked, answered in rows:
        times[uid].append(max((answered - asked).total_seconds(), 0.0))
    return {uid: statistics.median(values) for uid, values in times.items()}


def last_active(user_ids: Iterable[int]) -> dict[int, object]:
    ids = set(user_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Answer.author_id, func.max(Answer.created_at))
                              .where(Answer.author_id.in_(ids)).group_by(Answer.author_id))
    return dict(rows.all())


def _levels(tags=None, user_ids=None, viewer=EVERYONE) -> dict[tuple[str, int], tuple[str, int, int]]:
    """(level, accepted answers, endorsements) for every (tag, person) that has a level."""
    accepted = accepted_counts(tags=tags, user_ids=user_ids, viewer=viewer)
    endorsed = endorsement_counts(tags=tags, user_ids=user_ids)
    flagged = flags(tags=tags, user_ids=user_ids)
    after = proven_after()
    out = {}
    for key in set(accepted) | set(endorsed) | set(flagged):
        declared, recognized = flagged.get(key, (False, False))
        level = level_of(recognized=recognized, accepted_answers=accepted.get(key, 0),
                         endorsements=endorsed.get(key, 0), declared=declared, proven_after=after)
        if level is not None:
            out[key] = (level, accepted.get(key, 0), endorsed.get(key, 0))
    return out


def _stats(per_user: dict[int, tuple[str, int, int]]) -> list[ExpertStats]:
    ids = set(per_user)
    if not ids:
        return []
    names = dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
    medians, active = response_medians(ids), last_active(ids)
    return [ExpertStats(uid, names[uid], level, accepted, endorsements, medians.get(uid), active.get(uid))
            for uid, (level, accepted, endorsements) in per_user.items() if uid in names]


def experts_by_tag(tags: list[str], *, viewer=EVERYONE) -> dict[str, list[ExpertStats]]:
    """Each tag's experts, ranked by ``rank_experts``, in a fixed number of queries for any number of tags."""
    levels = _levels(tags=tags, viewer=viewer)
    per_tag: dict[str, dict[int, tuple]] = defaultdict(dict)
    for (tag, uid), value in levels.items():
        per_tag[tag][uid] = value
    all_stats = {(s.user_id): s for s in _stats({uid: v for (_t, uid), v in levels.items()})}
    out: dict[str, list[ExpertStats]] = {}
    for tag in tags:
        chosen = []
        for uid, (level, accepted, endorsements) in per_tag.get(tag, {}).items():
            base = all_stats.get(uid)
            if base is not None:
                chosen.append(ExpertStats(uid, base.username, level, accepted, endorsements,
                                          base.median_response_seconds, base.last_active_at))
        out[tag] = rank_experts(chosen)
    return out


def experts_on(tags: list[str], *, viewer=EVERYONE) -> list[ExpertStats]:
    """The experts on any of ``tags``, ranked together: a question's candidates.

    Across the tags a person counts with their strongest level and the sums
    of their accepted answers and endorsements.
    """
    if not tags:
        return []
    combined: dict[int, tuple[str, int, int]] = {}
    for (_tag, uid), (level, accepted, endorsements) in _levels(tags=tags, viewer=viewer).items():
        if uid in combined:
            old_level, old_accepted, old_endorsements = combined[uid]
            combined[uid] = (stronger(old_level, level), old_accepted + accepted, old_endorsements + endorsements)
        else:
            combined[uid] = (level, accepted, endorsements)
    return rank_experts(_stats(combined))


def readers(community: Community, user_ids: Iterable[int]) -> set[int]:
    """Those of ``user_ids`` who may read ``community``, as ``access.decide`` says, in two queries."""
    ids = set(user_ids)
    if not ids:
        return set()
    users = db.session.scalars(select(User).where(User.id.in_(ids))).all()
    memberships = {m.user_id: m for m in db.session.scalars(select(Membership).where(
        Membership.community_id == community.id, Membership.user_id.in_(ids)))}
    return {u.id for u in users if decide(u, community, Action.READ, memberships.get(u.id)).allowed}


def user_expertise(user: User, viewer=EVERYONE) -> list[dict]:
    """A person's expertise for their user object: ``tag``, ``level``, ``endorsements``, ``accepted_answers``.

    Strongest level first, then by accepted answers and tag. Within a
    request the answer is cached per person (a page of questions names many
    authors, some many times); ``prefetch`` fills that cache for many people
    in one go.
    """
    cache = _cache(viewer)
    if cache is not None and user.id in cache:
        return cache[user.id]
    if cache is not None:
        # A miss inside a request: a page is serializing people it loaded already (a thread's
        # authors, say). Everyone this session holds is read in the same three queries, so the
        # page's query count stays the same whatever the number of people on it.
        prefetch({user.id, *_people_in_session()}, viewer)
        return cache[user.id]
    return _expertise_of([user.id], viewer).get(user.id, [])


def user_expertise_for_viewer(user: User, viewer=None) -> list[dict]:
    """The user object's ``expertise`` as ``viewer`` may see it (the accounts provider).

    ``viewer`` None is the signed-in caller. A push to other people (a chat
    broadcast, a notification) names its readers instead: counts from
    communities they cannot read must not reach them.
    """
    if viewer is not None:
        return user_expertise(user, viewer)
    if has_request_context():
        from flask_login import current_user

        return user_expertise(user, current_user)
    return user_expertise(user)


def prefetch(user_ids: Iterable[int], viewer=EVERYONE) -> None:
    """Load the expertise of many people for this request at once (see ``user_expertise``)."""
    cache = _cache(viewer)
    if cache is None:
        return
    missing = {uid for uid in user_ids if uid is not None and uid not in cache}
    if missing:
        found = _expertise_of(list(missing), viewer)
        for uid in missing:
            cache[uid] = found.get(uid, [])


def forget_cached(user_ids: Iterable[int]) -> None:
    """After a change to someone's expertise in this request, read it afresh."""
    if has_request_context():
        for cache in g.get("qa_expertise", {}).values():
            for uid in user_ids:
                cache.pop(uid, None)


def _people_in_session() -> list[int]:
    return [obj.id for obj in list(db.session.identity_map.values())
            if isinstance(obj, User) and obj.id is not None]


def _cache(viewer) -> dict | None:
    """This request's expertise per person, as ``viewer`` may see it (one cache per viewer)."""
    if not has_request_context():
        return None
    if "qa_expertise" not in g:
        g.qa_expertise = {}
    if viewer is EVERYONE:
        key = "everyone"
    else:
        key = viewer.id if getattr(viewer, "is_authenticated", False) else "anonymous"
    return g.qa_expertise.setdefault(key, {})


_ORDER = {level: i for i, level in enumerate(reversed(LEVELS))}


def _expertise_of(user_ids: list[int], viewer) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    for (tag, uid), (level, accepted, endorsements) in _levels(user_ids=user_ids, viewer=viewer).items():
        out[uid].append({"tag": tag, "level": level, "endorsements": endorsements, "accepted_answers": accepted})
    for entries in out.values():
        entries.sort(key=lambda x: (_ORDER[x["level"]], -x["accepted_answers"], x["tag"]))
    return out


def declared_tags(user_id: int) -> list[str]:
    """The tags a person named as their own expertise, for the form that changes them."""
    return list(db.session.scalars(select(Expertise.tag).where(Expertise.user_id == user_id, Expertise.declared)
                                   .order_by(Expertise.tag)))
