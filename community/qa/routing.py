"""Who is asked to answer a question: routing on asking, and each escalation round.

A business decision of the Q&A service, made inside its transaction: the
experts chosen are recorded as ``ExpertRequest`` rows (so nobody is asked
twice, and response times can be measured) and as one ``ExpertsAsked``
event, whose listener notifies them after the commit. The order is
``rank_experts``'s, through ``expertise.experts_on``.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from .. import events
from ..access import MODERATOR_ROLES
from ..communities.models import Community, Membership
from ..database import insert_ignore
from ..extensions import db
from ..timeutil import utcnow
from .events import ExpertsAsked
from .expertise import experts_on, readers
from .models import ExpertRequest, Question, QuestionTag
from .ranking import ExpertStats

#: Escalation rounds: 0 on asking, 1 the next experts, 2 the community's moderators.
FIRST, NEXT_EXPERTS, MODERATORS = 0, 1, 2


def experts_per_question() -> int:
    return int(current_app.config["EXPERTS_PER_QUESTION"])


def question_tags(question_id: int) -> list[str]:
    return list(db.session.scalars(select(QuestionTag.tag).where(QuestionTag.question_id == question_id)
                                   .order_by(QuestionTag.position)))


def already_asked(question_id: int) -> set[int]:
    return set(db.session.scalars(select(ExpertRequest.user_id).where(ExpertRequest.question_id == question_id)))


def choose_experts(question: Question, community: Community, tags: list[str], *,
                   exclude: set[int] = frozenset(), limit: int | None = None) -> list[ExpertStats]:
    """The best experts on ``tags`` who may read the community: never the asker, nobody in ``exclude``."""
    limit = experts_per_question() if limit is None else limit
    if limit <= 0:
        return []
    skip = set(exclude) | {question.author_id}
    candidates = [e for e in experts_on(tags) if e.user_id not in skip]
    # Access is asked for a few more than needed at a time, best first, so a popular tag
    # with hundreds of experts costs no access check for each of them.
    chosen: list[ExpertStats] = []
    start = 0
    while len(chosen) < limit and start < len(candidates):
        batch = candidates[start:start + limit * 2]
        allowed = readers(community, [e.user_id for e in batch])
        chosen.extend(e for e in batch if e.user_id in allowed)
        start += len(batch)
    return chosen[:limit]


def ask(question: Question, user_ids: list[int], round_: int, *, actor_id: int | None) -> list[int]:
    """Record requests to ``user_ids`` (those not asked before) and the event that notifies them."""
    now = utcnow()
    asked = [uid for uid in user_ids
             if insert_ignore(ExpertRequest, question_id=question.id, user_id=uid, round=round_, asked_at=now)]
    if asked:
        events.record(db.session, ExpertsAsked(question.id, question.community_id, actor_id, question.title,
                                               tuple(asked), round_))
    return asked


def route_to_experts(question: Question, community: Community, tags: list[str], *, round_: int = FIRST,
                     actor_id: int | None = None) -> list[ExpertStats]:
    """Ask the next best experts on the question's tags who were not asked yet; returns them."""
    experts = choose_experts(question, community, tags, exclude=already_asked(question.id))
    asked = set(ask(question, [e.user_id for e in experts], round_, actor_id=actor_id))
    return [e for e in experts if e.user_id in asked]


def route_to_moderators(question: Question) -> list[int]:
    """The last round: the community's active moderators and owners not asked yet, never the asker."""
    moderators = db.session.scalars(select(Membership.user_id).where(
        Membership.community_id == question.community_id, Membership.state == "active",
        Membership.role.in_(MODERATOR_ROLES)).order_by(Membership.user_id))
    skip = already_asked(question.id) | {question.author_id}
    return ask(question, [uid for uid in moderators if uid not in skip], MODERATORS, actor_id=None)
