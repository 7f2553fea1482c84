"""Questions and answers in search: the one registration Q&A makes.

A question is found by its title, its text and its tags; an answer by its
text and its question's tags, shown under its question's title. Votes and
acceptance change the boost (an accepted answer and a well-voted question
rank higher), so their events index the item again.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..communities.models import Community
from ..content.events import ContentHidden
from ..extensions import db
from ..markup import plain_text
from ..search.registry import Entry, SearchType, id_batches, searchable
from .events import AnswerAccepted, AnswerPosted, QuestionAsked, QuestionEdited, Voted, answer_url, question_url
from .models import Answer, Question
from .reading import question_tags

#: How much a vote lifts an item in the ranking, and where that stops.
VOTE_BOOST, VOTE_BOOST_MAX, ACCEPTED_BOOST = 0.05, 0.5, 0.5


def _boost(score: int, accepted: bool = False) -> float:
    return 1.0 + min(max(score, 0) * VOTE_BOOST, VOTE_BOOST_MAX) + (ACCEPTED_BOOST if accepted else 0.0)


def load_questions(ids: list[int]) -> dict[int, Entry]:
    rows = db.session.execute(select(Question, Community.slug).join(Community, Community.id == Question.community_id)
                              .where(Question.id.in_(ids), Question.hidden_at.is_(None))
                              .options(joinedload(Question.author)))
    tags = question_tags(list(ids))
    return {q.id: Entry(type="question", id=q.id, community_id=q.community_id, community_slug=slug, title=q.title,
                        indexed_title=q.title, body=plain_text(q.body_html), url=question_url(q.id), author=q.author,
                        created_at=q.created_at, tags=tags.get(q.id, []),
                        boost=_boost(q.score, q.accepted_answer_id is not None))
            for q, slug in rows}


def load_answers(ids: list[int]) -> dict[int, Entry]:
    rows = list(db.session.execute(
        select(Answer, Question.title, Question.community_id, Question.accepted_answer_id, Community.slug)
        .join(Question, Question.id == Answer.question_id).join(Community, Community.id == Question.community_id)
        .where(Answer.id.in_(ids), *_ANSWER_SHOWN).options(joinedload(Answer.author))))
    tags = question_tags(list({a.question_id for a, *_ in rows}))
    return {a.id: Entry(type="answer", id=a.id, community_id=community_id, community_slug=slug, title=title,
                        indexed_title="", body=plain_text(a.body_html), url=answer_url(a.question_id, a.id),
                        author=a.author, created_at=a.created_at, tags=tags.get(a.question_id, []),
                        boost=_boost(a.score, accepted == a.id))
            for a, title, community_id, accepted, slug in rows}


#: An answer is indexed while neither it nor its question is hidden (the query joins the question).
_ANSWER_SHOWN = (Answer.hidden_at.is_(None), Question.hidden_at.is_(None))
_SHOWN_ANSWERS = select(Answer.id).join(Question, Question.id == Answer.question_id).where(*_ANSWER_SHOWN)


def _answers_of(question_id: int) -> list[int]:
    return list(db.session.scalars(select(Answer.id).where(Answer.question_id == question_id)))


searchable(SearchType(
    name="question", load=load_questions,
    batches=id_batches(select(Question.id).where(Question.hidden_at.is_(None)), Question.id),
    count=lambda: db.session.scalar(select(func.count()).select_from(Question)
                                    .where(Question.hidden_at.is_(None))) or 0,
    events={QuestionAsked: lambda e: [e.question_id], QuestionEdited: lambda e: [e.question_id],
            AnswerAccepted: lambda e: [e.question_id],
            Voted: lambda e: [e.target_id] if e.kind == "question" else [],
            ContentHidden: lambda e: e.ids("question")},
))

searchable(SearchType(
    name="answer", load=load_answers,
    batches=id_batches(_SHOWN_ANSWERS, Answer.id),
    count=lambda: db.session.scalar(select(func.count()).select_from(_SHOWN_ANSWERS.subquery())) or 0,
    events={AnswerPosted: lambda e: [e.answer_id], AnswerAccepted: lambda e: _answers_of(e.question_id),
            QuestionEdited: lambda e: _answers_of(e.question_id) if "tags" in e.changes else [],
            Voted: lambda e: [e.target_id] if e.kind == "answer" else [],
            ContentHidden: lambda e: _answers_of(e.target_id) if e.target_type == "question" else e.ids("answer")},
))
