"""An item of any kind by its name (``post``, ``question``, ``answer``, ``message``, ``resource``): flags, bookmarks.

A flag or a bookmark names its item as ``(target_type, target_id)``.
``load`` finds the item the way its capability's pages do (``post_context``,
``question_context`` …), so whoever may not read it, or may not see it
because it is hidden and they are no moderator, gets the same ``NotFound``
as for an item that does not exist. ``describe`` is what the flags queue
and the audit log show of an item, read without a reader (moderators only).
It lives with the content layer, not with one capability, because several
capabilities name items this way and none should import another for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..chat.events import message_url
from ..chat.models import ChatMessage
from ..chat.service import message_context
from ..communities.models import Community
from ..content.context import ContentContext
from ..discussions.models import Post, Thread
from ..discussions.rules import post_context
from ..errors import NotFound
from ..extensions import db
from ..markup import plain_text
from ..qa.events import answer_url, question_url
from ..qa.models import Answer, Question
from ..qa.rules import answer_context, question_context
from ..resources.events import resource_url
from ..resources.models import Resource
from ..resources.reading import resource_context
from ..urls import site_path

EXCERPT_MAX = 280


@dataclass
class Target:
    """An item that can be flagged, with what hiding it touches."""

    type: str
    item: object                      # the row whose ``hidden_at`` hiding sets
    community: Community
    label: str                        # a thread's or question's title; a resource's; a chat's community name
    url: str                          # its site path
    author_id: int | None
    body_html: str = ""
    created_at: datetime | None = None
    thread: Thread | None = None      # a post's thread
    question: Question | None = None  # an answer's question
    ctx: ContentContext | None = None

    @property
    def whole_thread(self) -> bool:
        """A thread's first post stands for the thread."""
        return self.type == "post" and self.item.depth == 0

    @property
    def excerpt(self) -> str:
        text = plain_text(self.body_html) if self.body_html else ""
        return text if len(text) <= EXCERPT_MAX else text[:EXCERPT_MAX - 1].rstrip() + "…"

    @property
    def key(self) -> str:
        return f"{self.type}:{self.item.id}"

    @property
    def parent(self) -> tuple[str, object] | None:
        """The item that hides this one with it: a reply's thread (its first post), an answer's question."""
        if self.type == "post" and not self.whole_thread:
            return "thread", self.thread
        if self.type == "answer":
            return "question", self.question
        return None


def _post(post: Post, thread: Thread, community: Community, ctx=None) -> Target:
    url = (site_path("discussions.show_thread", thread_id=thread.id) if post.depth == 0 else
           site_path("discussions.show_thread", thread_id=thread.id, _anchor=f"post-{post.id}"))
    return Target("post", post, community, thread.title, url, post.author_id, post.body_html, post.created_at,
                  thread=thread, ctx=ctx)


def _question(question: Question, community: Community, ctx=None) -> Target:
    return Target("question", question, community, question.title, question_url(question.id), question.author_id,
                  question.body_html, question.created_at, ctx=ctx)


def _answer(answer: Answer, question: Question, community: Community, ctx=None) -> Target:
    return Target("answer", answer, community, question.title, answer_url(question.id, answer.id),
                  answer.author_id, answer.body_html, answer.created_at, question=question, ctx=ctx)


def _message(message: ChatMessage, community: Community, ctx=None) -> Target:
    return Target("message", message, community, community.name, message_url(community.slug, message.id),
                  message.author_id, message.body_html, message.created_at, ctx=ctx)


def _resource(resource: Resource, community: Community, ctx=None) -> Target:
    return Target("resource", resource, community, resource.title, resource_url(resource.id), resource.author_id,
                  resource.description_html, resource.created_at, ctx=ctx)


def load(user, target_type: str, target_id: int) -> Target:
    """The item if ``user`` may read it (hidden ones: moderators only); else ``NotFound``. Deleted items are gone."""
    if target_type == "post":
        post, ctx = post_context(user, target_id)
        if post.deleted:
            raise NotFound()
        return _post(post, ctx.thread, ctx.community, ctx)
    if target_type == "question":
        ctx = question_context(user, target_id)
        return _question(ctx.question, ctx.community, ctx)
    if target_type == "answer":
        answer, ctx = answer_context(user, target_id)
        return _answer(answer, ctx.question, ctx.community, ctx)
    if target_type == "message":
        ctx = message_context(user, target_id)
        return _message(ctx.item, ctx.community, ctx)
    if target_type == "resource":
        ctx = resource_context(user, target_id)
        return _resource(ctx.item, ctx.community, ctx)
    raise NotFound()


def describe(target_type: str, target_id: int) -> Target | None:
    """The item as its moderators see it, whatever its state; None once it is deleted or gone."""
    session = db.session
    if target_type == "post":
        post = session.get(Post, target_id)
        if post is None or post.deleted:
            return None
        thread = session.get(Thread, post.thread_id)
        return _post(post, thread, session.get(Community, thread.community_id))
    if target_type == "question":
        question = session.get(Question, target_id)
        return question and _question(question, session.get(Community, question.community_id))
    if target_type == "answer":
        answer = session.get(Answer, target_id)
        if answer is None:
            return None
        question = session.get(Question, answer.question_id)
        return _answer(answer, question, session.get(Community, question.community_id))
    if target_type == "message":
        message = session.get(ChatMessage, target_id)
        if message is None or message.deleted:
            return None
        return _message(message, session.get(Community, message.community_id))
    if target_type == "resource":
        resource = session.get(Resource, target_id)
        return resource and _resource(resource, session.get(Community, resource.community_id))
    return None

#: The kinds of item that ``load`` knows, by the names the API uses.
KINDS = ("post", "question", "answer", "message", "resource")
