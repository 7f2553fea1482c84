"""Questions and answers in search: the one registration Q&A makes.

A question is found by its title, its text and its tags; an answer by its
text and its question's tags (the question's title labels it). Ranking
boosts, per the issue: an accepted answer ×1.5, and a higher score up to
about ×1.5 (logarithmic, so a few votes count and hundreds do not drown
every other signal); a question with an accepted answer ×1.2.
"""

from __future__ import annotations

import math
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..communities.models import Community
from ..extensions import db
from ..markup import plain_text
from ..search.registry import Entry, SearchType, searchable
from .events import AnswerAccepted, AnswerPosted, QuestionAsked, QuestionEdited, Voted, answer_url, question_url
from .models import Answer, Question, QuestionTag


def score_boost(score: int) -> float:
    return 1 + 0.1 * math.log2(1 + max(score, 0))


def _tags(question_ids) -> dict[int, list[str]]:
    found = defaultdict(list)
    rows = db.session.execute(select(QuestionTag.question_id, QuestionTag.tag)
                              .where(QuestionTag.question_id.in_(question_ids))
                              .order_by(QuestionTag.question_id, QuestionTag.position))
    for question_id, tag in rows:
        found[question_id].append(tag)
    return found


def _id_batches(column):
    def batches(size: int):
        last = 0
        while True:
            ids = list(db.session.scalars(select(column).where(column > last).order_by(column).limit(size)))
            if not ids:
                return
            yield ids
            last = ids[-1]
    return batches


def load_questions(ids: list[int]) -> dict[int, Entry]:
    rows = db.session.execute(select(Question, Community.slug).join(Community, Community.id == Question.community_id)
                              .where(Question.id.in_(ids)).options(joinedload(Question.author)))
    rows = list(rows)
    tags = _tags([q.id for q, _slug in rows])
    return {q.id: Entry(type="question", id=q.id, community_id=q.community_id, community_slug=slug, title=q.title,
                        indexed_title=q.title, body=plain_text(q.body_html), url=question_url(q.id), author=q.author,
                        created_at=q.created_at, tags=tags.get(q.id, []),
                        boost=score_boost(q.score) * (1.2 if q.accepted_answer_id else 1.0))
            for q, slug in rows}


def load_answers(ids: list[int]) -> dict[int, Entry]:
    rows = db.session.execute(
        select(Answer, Question.title, Question.community_id, Question.accepted_answer_id, Community.slug)
        .join(Question, Question.id == Answer.question_id).join(Community, Community.id == Question.community_id)
        .where(Answer.id.in_(ids)).options(joinedload(Answer.author)))
    rows = list(rows)
    tags = _tags({a.question_id for a, *_ in rows})
    return {a.id: Entry(type="answer", id=a.id, community_id=community_id, community_slug=slug, title=title,
                        indexed_title="", body=plain_text(a.body_html), url=answer_url(a.question_id, a.id),
                        author=a.author, created_at=a.created_at, tags=tags.get(a.question_id, []),
                        boost=score_boost(a.score) * (1.5 if accepted == a.id else 1.0))
            for a, title, community_id, accepted, slug in rows}


def _answers_of(question_id: int) -> list[int]:
    return list(db.session.scalars(select(Answer.id).where(Answer.question_id == question_id)))


searchable(SearchType(
    name="question", load=load_questions, batches=_id_batches(Question.id),
    count=lambda: db.session.scalar(select(func.count()).select_from(Question)) or 0,
    events={QuestionAsked: lambda e: [e.question_id], QuestionEdited: lambda e: [e.question_id],
            AnswerAccepted: lambda e: [e.question_id],
            Voted: lambda e: [e.target_id] if e.kind == "question" else []},
))

searchable(SearchType(
    name="answer", load=load_answers, batches=_id_batches(Answer.id),
    count=lambda: db.session.scalar(select(func.count()).select_from(Answer)) or 0,
    events={AnswerPosted: lambda e: [e.answer_id],
            AnswerAccepted: lambda e: _answers_of(e.question_id),  # the one accepted, and the one no longer
            QuestionEdited: lambda e: _answers_of(e.question_id) if "tags" in e.changes else [],
            Voted: lambda e: [e.target_id] if e.kind == "answer" else []},
))
