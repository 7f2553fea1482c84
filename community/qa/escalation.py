"""Escalation: a question nobody answers is offered to the next experts, then to the moderators.

``escalate_due_questions`` is the scheduler's job (``community/scheduler.py``):
every look, each question whose ``next_escalation_at`` has passed moves one
round on. The round is *claimed* first with a conditional ``UPDATE`` of
``next_escalation_at`` from the value this process saw, and the requests
and notifications are written in the same transaction: of several server
processes that saw the question due, exactly one claims it, so nobody is
notified twice; a failure rolls the claim back and a later look retries.

Round 1, ``ESCALATION_AFTER`` seconds after asking: the next experts in the
ranking not yet asked (``EXPERTS_PER_QUESTION`` of them). Round 2, another
period later: the community's moderators and owners not yet asked. Then
nothing more. An answer by anyone but the asker stops it
(``service.post_answer`` clears ``next_escalation_at``).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from .. import events
from ..communities.models import Community
from ..database import reading
from ..extensions import db
from ..scheduler import claim, job
from ..timeutil import utcnow
from . import routing
from .models import Question

BATCH = 100  # questions escalated per look at most; the rest wait for the next look


@job("qa_escalation")
def escalate_due_questions() -> int:
    """Move every due question one round on; returns how many this process escalated."""
    now = utcnow()
    with reading():
        due = db.session.execute(select(Question.id, Question.next_escalation_at, Question.escalation_round)
                                 .where(Question.next_escalation_at <= now)
                                 .order_by(Question.next_escalation_at, Question.id).limit(BATCH)).all()
        db.session.rollback()  # end the read before each claim takes the write lock
    return sum(1 for question_id, seen, round_ in due if escalate(question_id, seen, round_))


def escalate(question_id: int, seen, round_: int) -> bool:
    """Claim and run the next round of one question; False when another process was first."""
    next_round = round_ + 1
    after = timedelta(seconds=float(current_app.config["ESCALATION_AFTER"]))
    next_at = utcnow() + after if next_round < routing.MODERATORS else None
    if not claim(Question, question_id, "next_escalation_at", seen, next_at, escalation_round=next_round):
        db.session.rollback()
        return False
    question = db.session.get(Question, question_id, populate_existing=True)
    if next_round == routing.NEXT_EXPERTS:
        community = db.session.get(Community, question.community_id)
        routing.route_to_experts(question, community, routing.question_tags(question.id),
                                 round_=routing.NEXT_EXPERTS)
    else:
        routing.route_to_moderators(question)
    events.commit(db.session)
    return True
