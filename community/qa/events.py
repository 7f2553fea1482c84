"""What happens in Q&A, for listeners after the commit (notifications, search, live pushes).

Plain ids and values, enough for a listener to act without reloading.
``mentions`` are lowercased usernames as written; the people routing
chose to ask come as ``ExpertsAsked`` (the notifications capability checks
access again).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..events import DomainEvent


@dataclass(frozen=True)
class QuestionAsked(DomainEvent):
    question_id: int
    community_id: int
    actor_id: int
    title: str
    tags: tuple[str, ...]
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionEdited(DomainEvent):
    """``new_mentions``: names the new text mentions that the previous one did not."""

    question_id: int
    community_id: int
    actor_id: int
    title: str
    changes: tuple[str, ...]
    new_mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnswerPosted(DomainEvent):
    answer_id: int
    question_id: int
    question_author_id: int | None
    community_id: int
    actor_id: int
    title: str  # the question's title
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnswerAccepted(DomainEvent):
    """``answer_id`` None: the question has no accepted answer any more."""

    question_id: int
    answer_id: int | None
    answer_author_id: int | None
    community_id: int
    actor_id: int
    title: str


@dataclass(frozen=True)
class Voted(DomainEvent):
    kind: str  # "question" or "answer"
    target_id: int
    question_id: int
    community_id: int
    actor_id: int
    value: int
    score: int


@dataclass(frozen=True)
class ExpertsAsked(DomainEvent):
    """Experts (or, in the last round, moderators) asked to answer: on asking, directly, or escalated."""

    question_id: int
    community_id: int
    actor_id: int | None  # None when the scheduler escalated
    title: str
    user_ids: tuple[int, ...]
    round: int


@dataclass(frozen=True)
class ExpertiseChanged(DomainEvent):
    """Declared, endorsed or recognized: ``user_id``'s expertise on ``tags`` changed."""

    user_id: int
    actor_id: int
    tags: tuple[str, ...]
    how: str  # declared, endorsed, recognized, unrecognized
