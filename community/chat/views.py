"""Chat pages: the community's Chat tab, a plain form to send without JavaScript, and "Ask as a question".

The tab shows the last messages at once (or those around ``?at=``, where a
search hit or a notification points); ``static/js/chat.js`` then joins the
room over Socket.IO for live messages, presence and typing, and sends with
Enter. Without JavaScript the form posts here and the page reloads.
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from ..access import Action, can, decide
from ..communities import service as communities
from ..errors import DomainError
from ..idempotency import idempotent
from ..markup import plain_text, render_markdown
from ..qa.reading import popular_tags
from ..validation import DB_INT_MAX
from ..web.pages import flash_refusal
from . import service
from .events import message_url
from .models import ChatMessage

bp = Blueprint("chat", __name__)
QUOTE_LINES = 12


def _at() -> int | None:
    raw = request.args.get("at", "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) <= DB_INT_MAX else None


def chat_tab(community) -> dict:
    """What the Chat tab shows (``chat/_tab.html``)."""
    at = _at()
    messages = service.around(community, at) if at else service.history(community)
    write = decide(current_user, community, Action.WRITE)
    return {"messages": messages, "at": at, "can_send": write.allowed, "refusal": write.code,
            "is_moderator": can(current_user, community, Action.MODERATE), "chat_max": current_app.config["CHAT_MAX"]}


@bp.post("/c/<slug>/chat")
@login_required
@idempotent
def send(slug: str):
    """The form's fallback without JavaScript: the same service as the socket's ``message``."""
    community = communities.get_community(current_user, slug, Action.VIEW)
    try:
        service.post_message(current_user, community, request.form.get("body", ""),
                             request.form.get("client_id") or None)
    except DomainError as error:
        flash_refusal(error)
    return redirect(url_for("communities.show", slug=community.slug, tab="chat", _anchor="chat-form"))


def _title_from(body: str) -> str:
    """The message's first line as plain text (Markdown taken off), shortened at a word to fit a title."""
    first = next((part.strip() for part in body.splitlines() if part.strip()), "")
    line = " ".join(plain_text(render_markdown(first)).split())
    limit = current_app.config["TITLE_MAX"]
    return line if len(line) <= limit else line[:limit - 1].rsplit(" ", 1)[0] + "…"


def _suggested_tags(community, text: str) -> list[str]:
    """The community's tags that the message names (``heftruck`` in "Mag de heftruck…"), at most five."""
    words = set(re.findall(r"[\w-]+", text.lower()))
    return [tag for tag in popular_tags(community, limit=50) if tag in words][:5]


def question_draft(message: ChatMessage, community) -> dict:
    """Title, body and tags for the question form: the message quoted, with a link back into the chat."""
    text = plain_text(message.body_html)
    who = f"@{message.author.username}" if message.author else gettext("someone")
    quoted = "\n".join(f"> {line}" if line else ">" for line in message.body.splitlines()[:QUOTE_LINES])
    link = message_url(community.slug, message.id)
    body = f"{quoted}\n>\n> — {who}, [{gettext('in the chat')}]({link})\n\n"
    return {"title": _title_from(message.body), "body": body, "tags": ", ".join(_suggested_tags(community, text))}


@bp.get("/messages/<int:message_id>/ask")
@login_required
def ask_as_question(message_id: int):
    """Open the question form filled from a chat message; the question is asked as any other."""
    ctx = service.message_context(current_user, message_id)
    draft = question_draft(ctx.item, ctx.community)
    return redirect(url_for("qa.ask", slug=ctx.community.slug, **draft))
