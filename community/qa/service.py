"""Every Q&A action: one function per thing a person does, with typed arguments.

The doors (``api.py``, and the HTML pages) parse the request and call these;
each checks access through ``rules`` (which asks ``community.access``),
validates its typed values with ``Fields`` so that errors have the
contract's shapes (400 for a wrong type, 422 ``invalid`` naming the field),
writes, records domain events and commits; listeners notify after the commit.

Counters move with ``SET n = n + :d`` and votes are one row per person and
target (insert-ignore on a unique key), so racing requests lose no update
and fail on no key (see FIELD-NOTES on SQLite). ``MISSING`` for an optional
argument means "not sent".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from .. import events
from ..access import Action, require
from ..accounts.models import User
from ..accounts.service import find_user, get_user
from ..communities.models import Community, Membership
from ..content.checks import read_body, read_title
from ..content.tags import read_one_tag, read_tags
from ..database import insert_ignore
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..markup import find_mentions, render_with_mentions
from ..timeutil import utcnow
from ..validation import MISSING, Fields
from . import expertise, routing, rules
from .events import AnswerAccepted, AnswerPosted, ExpertiseChanged, QuestionAsked, QuestionEdited, Voted
from .models import DIRECT, VOTE_KINDS, Answer, Endorsement, Expertise, ExpertRequest, Question, QuestionTag, Vote

#: Tags one person may declare expertise on.
EXPERTISE_MAX = 20


@dataclass
class Asked:
    """A new question and the usernames of the experts routing asked (``experts_notified``)."""

    question: Question
    experts_notified: list[str]


@dataclass(frozen=True)
class VoteResult:
    score: int
    my_vote: int


def _fields(**values) -> Fields:
    """A ``Fields`` over the typed arguments that were given (``MISSING`` ones were not)."""
    return Fields({name: value for name, value in values.items() if value is not MISSING})


def _mentions(body: str) -> tuple[str, ...]:
    return tuple(find_mentions(body)) if "@" in body else ()


def _question_tags(fields: Fields, *, required: bool):
    """1 to 5 tags, normalised (``Veiligheid`` is ``veiligheid``); a question needs at least one."""
    tags = read_tags(fields)
    if tags is MISSING and required and "tags" not in fields.wrong_types and "tags" not in fields.problems:
        fields.problem("tags", _l("Give 1 to 5 tags."))
    elif tags is not MISSING and not tags:
        fields.problem("tags", _l("Give 1 to 5 tags."))
    return tags


def _set_tags(question_id: int, tags: list[str]) -> None:
    db.session.execute(delete(QuestionTag).where(QuestionTag.question_id == question_id))
    db.session.add_all(QuestionTag(question_id=question_id, tag=tag, position=i) for i, tag in enumerate(tags))


def _escalation_after() -> timedelta:
    return timedelta(seconds=float(current_app.config["ESCALATION_AFTER"]))


def ask_question(user: User, community: Community, title, body, tags) -> Asked:
    """A new question with 1 to 5 tags, routed at once to the best experts on them.

    The experts who may read the community (never the asker) are asked, at
    most ``EXPERTS_PER_QUESTION``, best first; unanswered, the question goes
    to the next ones after ``ESCALATION_AFTER`` (see ``escalation.py``).
    """
    require(user, community, Action.WRITE)
    fields = _fields(title=title, body=body, tags=tags)
    title = read_title(fields, required=True)
    body = read_body(fields)
    tags = _question_tags(fields, required=True)
    fields.check()
    now = utcnow()
    body_html, mentions = render_with_mentions(body)
    question = Question(community_id=community.id, author_id=user.id, title=title, body=body, body_html=body_html,
                        score=0, answer_count=0, created_at=now, last_activity_at=now, escalation_round=0,
                        next_escalation_at=now + _escalation_after())
    db.session.add(question)
    db.session.flush()
    _set_tags(question.id, tags)
    experts = routing.route_to_experts(question, community, tags, actor_id=user.id)
    events.record(db.session, QuestionAsked(question.id, community.id, user.id, title, tuple(tags),
                                            tuple(mentions)))
    events.commit(db.session)
    return Asked(question, [e.username for e in experts])


def edit_question(user: User, question_id: int, *, title=MISSING, body=MISSING, tags=MISSING) -> Question:
    """New title, body or tags (the author or a moderator); what was not given stays."""
    ctx = rules.question_context(user, question_id, writing=True)
    rules.require_edit(user, ctx)
    fields = _fields(title=title, body=body, tags=tags)
    title = read_title(fields, required=False)
    body = read_body(fields, required=False) if "body" in fields.data else MISSING
    tags = _question_tags(fields, required=False)
    fields.check()
    question = ctx.question
    changes: list[str] = []
    new_mentions: tuple[str, ...] = ()
    if title is not MISSING and title != question.title:
        question.title = title
        changes.append("title")
    if body is not MISSING and body != question.body:
        before = set(_mentions(question.body))
        question.body_html, mentions = render_with_mentions(body)
        question.body = body
        new_mentions = tuple(m for m in mentions if m not in before)
        changes.append("body")
    if tags is not MISSING and tags != routing.question_tags(question.id):
        _set_tags(question.id, tags)
        changes.append("tags")
    if not changes:
        return question
    question.edited_at = utcnow()
    events.record(db.session, QuestionEdited(question.id, question.community_id, user.id, question.title,
                                             tuple(changes), new_mentions))
    events.commit(db.session)
    return question


def post_answer(user: User, question_id: int, body) -> Answer:
    """An answer (any active member); the asker hears of it, and escalation stops once someone else answers."""
    ctx = rules.question_context(user, question_id, writing=True)
    rules.require_write(user, ctx)
    fields = _fields(body=body)
    body = read_body(fields)
    fields.check()
    question = ctx.question
    now = utcnow()
    body_html, mentions = render_with_mentions(body)
    answer = Answer(question_id=question.id, author_id=user.id, body=body, body_html=body_html, score=0,
                    created_at=now)
    db.session.add(answer)
    db.session.flush()
    changes = {"answer_count": Question.answer_count + 1, "last_activity_at": now}
    if question.author_id != user.id:  # the asker adding detail is no answer to wait for
        changes["next_escalation_at"] = None
    db.session.execute(update(Question).where(Question.id == question.id).values(changes)
                       .execution_options(synchronize_session=False))
    # The first answer to a request made of this person gives their response time.
    db.session.execute(update(ExpertRequest).where(
        ExpertRequest.question_id == question.id, ExpertRequest.user_id == user.id,
        ExpertRequest.answered_at.is_(None)).values(answered_at=now).execution_options(synchronize_session=False))
    events.record(db.session, AnswerPosted(answer.id, question.id, question.author_id, question.community_id,
                                           user.id, question.title, tuple(mentions)))
    events.commit(db.session)
    return answer


def accept_answer(user: User, question_id: int, answer_id) -> Question:
    """Accept one answer of the question, or none (``answer_id`` None): the asker or a moderator.

    The accepted answer's author hears of it; accepting the one already
    accepted changes nothing and tells nobody again.
    """
    ctx = rules.question_context(user, question_id, writing=True)
    rules.require_accept(user, ctx)
    fields = _fields(answer_id=answer_id)
    answer_id = fields.integer("answer_id", required=True, minimum=1, nullable=True)
    if answer_id is MISSING and "answer_id" not in fields.data:
        fields.problem("answer_id", _l("This field is required."))
    fields.check()
    question = ctx.question
    answer = None
    if answer_id is not None:
        answer = db.session.scalar(select(Answer).where(Answer.id == answer_id, Answer.question_id == question.id))
        if answer is None:
            raise Invalid({"answer_id": str(_l("There is no such answer to this question."))})
    if question.accepted_answer_id == answer_id:
        return question
    question.accepted_answer_id = answer_id
    question.last_activity_at = utcnow()
    events.record(db.session, AnswerAccepted(question.id, answer_id, answer.author_id if answer else None,
                                             question.community_id, user.id, question.title))
    events.commit(db.session)
    return question


def _vote_target(user: User, kind: str, target_id: int):
    if kind == "question":
        ctx = rules.question_context(user, target_id, writing=True)
        return ctx.question, ctx, Question
    if kind == "answer":
        answer, ctx = rules.answer_context(user, target_id, writing=True)
        return answer, ctx, Answer
    raise NotFound()


def vote(user: User, kind: str, target_id: int, value) -> VoteResult:
    """Vote a question or answer up (1) or down (-1), or withdraw (0): once per person, never your own.

    Race-safe without locks of our own: the vote is one row per person and
    target (inserted with insert-ignore on its unique key, changed or deleted
    with a conditional statement that says what it changed), and the score
    moves by the difference with ``SET score = score + :delta``, read back
    with ``RETURNING`` (the session keeps loaded values after a commit).
    """
    if kind not in VOTE_KINDS:
        raise NotFound()
    target, ctx, model = _vote_target(user, kind, target_id)
    rules.require_vote(user, ctx, target)
    fields = _fields(value=value)
    value = fields.integer("value", required=True)
    if value is not MISSING and value not in (-1, 0, 1):
        fields.problem("value", _l("Vote 1, -1 or 0."))
    fields.check()
    mine = (Vote.user_id == user.id, Vote.kind == kind, Vote.target_id == target.id)
    if value == 0:
        old = db.session.scalar(delete(Vote).where(*mine).returning(Vote.value))
        delta = -(old or 0)
    elif insert_ignore(Vote, user_id=user.id, kind=kind, target_id=target.id, value=value, created_at=utcnow()):
        delta = value
    else:
        changed = db.session.scalar(update(Vote).where(*mine, Vote.value != value).values(value=value)
                                    .returning(Vote.id).execution_options(synchronize_session=False))
        delta = 2 * value if changed is not None else 0
    if delta:
        score = db.session.scalar(update(model).where(model.id == target.id)
                                  .values(score=model.score + delta).returning(model.score)
                                  .execution_options(synchronize_session=False))
        events.record(db.session, Voted(kind, target.id, ctx.question.id, ctx.question.community_id, user.id,
                                        value, score))
    else:
        score = db.session.scalar(select(model.score).where(model.id == target.id))
    events.commit(db.session)
    return VoteResult(score=score, my_vote=value)


def _expertise_tags(fields: Fields, name: str = "tags"):
    """A list of valid, distinct tags (as question tags are), at most ``EXPERTISE_MAX``; required."""
    if fields.data.get(name) is None:
        fields.problem(name, _l("This field is required."))
        return MISSING
    return read_tags(fields, name, maximum=EXPERTISE_MAX)


def set_expertise(user: User, tags) -> list[str]:
    """The tags ``user`` declares expertise on, replacing the earlier declaration; returns them.

    A recognition by a moderator stays when the declaration goes.
    """
    fields = _fields(tags=tags)
    tags = _expertise_tags(fields)
    fields.check()
    rows = {row.tag: row for row in db.session.scalars(select(Expertise).where(Expertise.user_id == user.id))}
    now = utcnow()
    for tag, row in rows.items():
        if tag not in tags and row.declared:
            if row.recognized:
                row.declared = False
            else:
                db.session.delete(row)
    for tag in tags:
        if tag in rows:
            rows[tag].declared = True
        elif not insert_ignore(Expertise, user_id=user.id, tag=tag, declared=True, recognized=False,
                               created_at=now):
            db.session.execute(update(Expertise).where(Expertise.user_id == user.id, Expertise.tag == tag)
                               .values(declared=True).execution_options(synchronize_session=False))
    events.record(db.session, ExpertiseChanged(user.id, user.id, tuple(tags), "declared"))
    events.commit(db.session)
    expertise.forget_cached([user.id])
    return tags


def endorse(user: User, username: str, tag) -> User:
    """Vouch for ``username`` on ``tag``: never yourself (403), once per person and tag (409)."""
    target = get_user(username)
    if target.id == user.id:
        raise Forbidden(_l("You cannot endorse yourself."))
    fields = _fields(tag=tag)
    tag = read_one_tag(fields)
    fields.check()
    if not insert_ignore(Endorsement, endorser_id=user.id, user_id=target.id, tag=tag, created_at=utcnow()):
        raise Conflict(_l("You endorsed this person on this tag already."))
    events.record(db.session, ExpertiseChanged(target.id, user.id, (tag,), "endorsed"))
    events.commit(db.session)
    expertise.forget_cached([target.id])
    return target


def recognize_expert(moderator: User, community: Community, username: str, tag, recognized) -> User:
    """A moderator marks a member of their community a ``recognized`` expert on a tag, or takes it back."""
    require(moderator, community, Action.MODERATE)
    target = get_user(username)
    fields = _fields(tag=tag, recognized=recognized)
    tag = read_one_tag(fields)
    recognized = fields.boolean("recognized", required=True)
    member = db.session.scalar(select(Membership.id).where(
        Membership.community_id == community.id, Membership.user_id == target.id, Membership.state == "active"))
    if member is None:
        fields.problem("username", _l("Only active members of this community can be recognized here."))
    fields.check()
    row = db.session.get(Expertise, (target.id, tag))
    if recognized:
        if row is None:
            if not insert_ignore(Expertise, user_id=target.id, tag=tag, declared=False, recognized=True,
                                 recognized_by_id=moderator.id, created_at=utcnow()):
                row = db.session.get(Expertise, (target.id, tag), populate_existing=True)
        if row is not None:
            row.recognized, row.recognized_by_id = True, moderator.id
    elif row is not None:
        if row.declared:
            row.recognized, row.recognized_by_id = False, None
        else:
            db.session.delete(row)
    events.record(db.session, ExpertiseChanged(target.id, moderator.id, (tag,),
                                               "recognized" if recognized else "unrecognized"))
    events.commit(db.session)
    expertise.forget_cached([target.id])
    return target


def ask_expert(user: User, question_id: int, username) -> list[str]:
    """From a question's page, ask one particular expert on its tags; returns ``[their username]``.

    Any active member may; the person must be an expert on one of its tags
    and able to read the community, and not asked already (409).
    """
    ctx = rules.question_context(user, question_id, writing=True)
    rules.require_write(user, ctx)
    fields = _fields(username=username)
    name = fields.text("username", required=True, max_len=30)
    fields.check()
    question = ctx.question
    target = find_user(name)
    if target is None:
        raise Invalid({"username": str(_l("There is nobody with this username."))})
    if target.id in (user.id, question.author_id):
        raise Invalid({"username": str(_l("Ask someone other than yourself or the person who asked."))})
    tags = routing.question_tags(question.id)
    if target.id not in {e.user_id for e in expertise.experts_on(tags)}:
        raise Invalid({"username": str(_l("This person is no expert on this question's tags."))})
    if target.id not in expertise.readers(ctx.community, [target.id]):
        raise Invalid({"username": str(_l("This person cannot read this community."))})
    if not routing.ask(question, [target.id], DIRECT, actor_id=user.id):
        raise Conflict(_l("This person was asked about this question already."))
    events.commit(db.session)
    return [target.username]
