"""What happens in Q&A, for listeners after the commit (notifications, search, live pushes).

Plain ids and values, enough for a listener to act without reloading.
``mentions`` are lowercased usernames as written; the people routing
chose to ask come as ``ExpertsAsked`` (the notifications capability checks
access again).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.events import ContentWritten
from ..events import DomainEvent
from ..urls import site_path


def question_url(question_id: int) -> str:
    """The site path of a question's page."""
    return site_path("qa.show_question", question_id=question_id)


def answer_url(question_id: int, answer_id: int) -> str:
    """The site path of an answer: its question's page, at the answer."""
    return site_path("qa.show_question", question_id=question_id, _anchor=f"answer-{answer_id}")


@dataclass(frozen=True)
class QuestionAsked(ContentWritten):
    question_id: int
    community_id: int
    actor_id: int
    title: str
    tags: tuple[str, ...]
    mentions: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return question_url(self.question_id)


@dataclass(frozen=True)
class QuestionEdited(ContentWritten):
    """``mentions``: names the new text mentions that the previous one did not."""

    question_id: int
    community_id: int
    actor_id: int
    title: str
    changes: tuple[str, ...]
    mentions: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return question_url(self.question_id)


@dataclass(frozen=True)
class AnswerPosted(ContentWritten):
    """Its mentions are told with the asker's notice, each person once (``qa_listeners``)."""

    mentions_notified_elsewhere = True

    answer_id: int
    question_id: int
    question_author_id: int | None
    community_id: int
    actor_id: int
    title: str  # the question's title
    mentions: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return answer_url(self.question_id, self.answer_id)


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
