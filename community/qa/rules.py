"""Question-level permission rules, built on ``community.access.decide``.

``access`` answers for the community (read, write, moderate); Q&A adds only
this on top: the author or a moderator edits a question, the asker or a
moderator accepts an answer, nobody votes on their own post. Reading is
all-or-nothing: whoever may not read the community gets 404 for its
questions and answers; a banned member of a public community who tries to
write hears ``banned``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select

from ..access import Action, decide
from ..communities.models import Community, Membership
from ..errors import Forbidden, NotFound, Unauthenticated
from ..extensions import db
from .models import Answer, Question


@dataclass
class QuestionContext:
    """A question with what every decision about it needs, loaded in one query."""

    question: Question
    community: Community
    membership: Membership | None

    def decide(self, user, action: Action):
        return decide(user, self.community, action, self.membership)


def user_id(user) -> int:
    return user.id if user is not None and getattr(user, "is_authenticated", False) else -1


def _context_query(user):
    return (select(Question, Community, Membership)
            .join(Community, Community.id == Question.community_id)
            .outerjoin(Membership, and_(Membership.community_id == Community.id,
                                        Membership.user_id == user_id(user))))


def require_read(user, ctx: QuestionContext) -> None:
    decision = ctx.decide(user, Action.READ)
    if not decision:
        raise Unauthenticated() if decision.code == "unauthenticated" else NotFound()


def _require_known(user, ctx: QuestionContext) -> None:
    decision = ctx.decide(user, Action.READ)
    if not decision and decision.code == "banned":
        raise Forbidden(code="banned")
    require_read(user, ctx)


def question_context(user, question_id: int, *, writing: bool = False) -> QuestionContext:
    """The question if ``user`` may read it, else ``NotFound`` (also when it does not exist)."""
    row = db.session.execute(_context_query(user).where(Question.id == question_id)).first()
    if row is None:
        raise NotFound()
    ctx = QuestionContext(*row)
    (_require_known if writing else require_read)(user, ctx)
    return ctx


def answer_context(user, answer_id: int, *, writing: bool = False) -> tuple[Answer, QuestionContext]:
    row = db.session.execute(_context_query(user).add_columns(Answer)
                             .join(Answer, Answer.question_id == Question.id).where(Answer.id == answer_id)).first()
    if row is None:
        raise NotFound()
    ctx = QuestionContext(*row[:3])
    (_require_known if writing else require_read)(user, ctx)
    return row[3], ctx


def require_read_community(user, community: Community) -> None:
    decision = decide(user, community, Action.READ)
    if not decision:
        raise Unauthenticated() if decision.code == "unauthenticated" else NotFound()


def is_moderator(user, ctx: QuestionContext) -> bool:
    return ctx.decide(user, Action.MODERATE).allowed


def is_author(user, obj) -> bool:
    return obj.author_id is not None and obj.author_id == user_id(user)


def require_write(user, ctx: QuestionContext) -> None:
    """Active, unmuted membership in a community that is not archived (moderators excepted)."""
    _require_known(user, ctx)
    write = ctx.decide(user, Action.WRITE)
    if not write:
        raise Forbidden(code=write.code)


def require_edit(user, ctx: QuestionContext) -> None:
    if is_moderator(user, ctx):
        return
    require_write(user, ctx)
    if not is_author(user, ctx.question):
        raise Forbidden(_l("Only the author or a moderator may change this question."))


def require_accept(user, ctx: QuestionContext) -> None:
    """The asker or a moderator; the asker needs write access like any other change."""
    if is_moderator(user, ctx):
        return
    require_write(user, ctx)
    if not is_author(user, ctx.question):
        raise Forbidden(_l("Only the person who asked or a moderator may accept an answer."))


def require_vote(user, ctx: QuestionContext, target) -> None:
    """Voting is writing, and never on your own question or answer."""
    require_write(user, ctx)
    if is_author(user, target):
        raise Forbidden(_l("You cannot vote on your own post."))


@dataclass(frozen=True)
class Abilities:
    """What a question page may offer one reader, decided once (the services still check each action)."""

    user_id: int
    moderator: bool
    write: bool
    asker: bool

    @property
    def answer(self) -> bool:
        return self.write

    @property
    def accept(self) -> bool:
        return self.moderator or (self.write and self.asker)

    @property
    def edit(self) -> bool:
        return self.moderator or (self.write and self.asker)

    @property
    def ask_expert(self) -> bool:
        return self.write

    def vote(self, post) -> bool:
        return self.write and post.author_id != self.user_id


def abilities(user, ctx: QuestionContext) -> Abilities:
    return Abilities(user_id=user_id(user), moderator=is_moderator(user, ctx),
                     write=ctx.decide(user, Action.WRITE).allowed, asker=is_author(user, ctx.question))
