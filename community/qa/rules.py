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

from ..access import Action
from ..content.context import (
    ContentContext,
    context_query,
    is_author,
    is_moderator,
    load_context,
    require_read,
    require_write,
    user_id,
)
from ..errors import Forbidden
from .models import Answer, Question

__all__ = ["QuestionContext", "question_context", "answer_context", "require_read_community", "user_id",
           "is_moderator", "is_author", "require_write", "require_edit", "require_accept", "require_vote",
           "Abilities", "abilities"]


class QuestionContext(ContentContext):
    """A question (``item``) with its community and the caller's membership, loaded in one query."""

    @property
    def question(self) -> Question:
        return self.item


def question_context(user, question_id: int, *, writing: bool = False) -> QuestionContext:
    """The question if ``user`` may read it, else ``NotFound`` (also when it does not exist)."""
    ctx = load_context(user, context_query(user, Question).where(Question.id == question_id), writing=writing)
    return QuestionContext(ctx.item, ctx.community, ctx.membership)


def answer_context(user, answer_id: int, *, writing: bool = False) -> tuple[Answer, QuestionContext]:
    """The answer and its question if ``user`` may read them (see ``question_context``)."""
    stmt = (context_query(user, Question).add_columns(Answer).join(Answer, Answer.question_id == Question.id)
            .where(Answer.id == answer_id))
    ctx = load_context(user, stmt, writing=writing)
    return ctx.extra[0], QuestionContext(ctx.item, ctx.community, ctx.membership)


#: The community's own rule (for lists): ``NotFound`` unless the caller may read it.
require_read_community = require_read


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

    def flag(self, post) -> bool:
        """Any reader flags someone else's question or answer."""
        return self.user_id > 0 and post.author_id != self.user_id


def abilities(user, ctx: QuestionContext) -> Abilities:
    return Abilities(user_id=user_id(user), moderator=is_moderator(user, ctx),
                     write=ctx.decide(user, Action.WRITE).allowed, asker=is_author(user, ctx.question))
