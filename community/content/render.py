"""The one HTML renderer of a post-like item: a post, a question, an answer, a chat message.

Every item is the same ``<article>``: a head (author, time, badges), the
sanitized body, actions, and an optional aside (a question's or answer's
votes). Pages build a ``PostLike`` per item and call ``post_like_html``;
no template macro or script writes this markup a second time.

Written as f-strings, not a Jinja macro: a thread page is this markup a
thousand times and a Jinja loop costs about ten times as much (measured:
1.1 ms against 0.1 ms for 51 posts). Every value is escaped here, except
``body_html`` (sanitized by ``markup.render_markdown`` when written) and the
pieces passed in as ``Markup``. Links come from ``url_for`` through
``UrlPattern``: built once per page, the item's id filled in per item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from markupsafe import Markup, escape

#: An id no item has, that every route's id converter accepts: it marks where the id goes.
_MARK = 2_000_000_011


class UrlPattern:
    """``url_for(endpoint, <id_name>=id, **values)`` for many ids at the cost of one ``url_for``."""

    def __init__(self, endpoint: str, id_name: str, **values):
        url = url_for(endpoint, **{id_name: _MARK}, **values)
        head, _, tail = url.partition(str(_MARK))
        self._head, self._tail = str(escape(head)), str(escape(tail))

    def __call__(self, item_id: int) -> str:
        """The item's URL, already escaped for an attribute."""
        return f"{self._head}{item_id}{self._tail}"


def iso_moment(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%S}Z"


@dataclass(slots=True)
class PostLike:
    """One item as a page shows it; strings are plain text unless typed ``Markup``."""

    anchor: str                     # the element id: "post-12", "answer-5", "question-3"
    classes: str                    # CSS classes of the <article>, e.g. "post depth-2"
    author_name: str | None         # None: a removed account
    author_url: str | None
    moment: datetime
    when: str                       # the moment in the reader's words
    body_html: Markup
    head: list[Markup] = field(default_factory=list)     # after author and time: edited, in reply to, badges
    actions: list[Markup] = field(default_factory=list)  # links and small forms in the footer
    aside: Markup | None = None     # beside the body: votes


def post_like_html(item: PostLike, *, former_member: str) -> Markup:
    """The ``<article id="{anchor}">`` of one item; ``former_member`` names a removed author (escaped)."""
    author = (f'<a class="post__author" href="{escape(item.author_url)}">{escape(item.author_name)}</a>'
              if item.author_name else f'<span class="post__author">{former_member}</span>')
    head = " ".join([author, f'<a class="post__time" href="#{item.anchor}"><time datetime="{iso_moment(item.moment)}">'
                             f'{item.when}</time></a>', *item.head])
    aside = f'<div class="post__aside">{item.aside}</div>\n' if item.aside is not None else ""
    footer = f'<footer class="post__actions">{" ".join(item.actions)}</footer>\n'
    return Markup(f'<article class="{item.classes}" id="{item.anchor}">\n{aside}'
                  f'<header class="post__head">{head}</header>\n'
                  f'<div class="post__body prose">{item.body_html}</div>\n{footer}</article>\n')


def deleted_html(anchor: str, classes: str, text: str) -> Markup:
    """What stays of a deleted item: its place, with ``text`` (escaped) saying why it is empty."""
    return Markup(f'<article class="{classes} post--deleted" id="{anchor}"><p class="post__deleted">{text}</p>'
                  f'</article>\n')


def form_button(action: str, csrf: str, label: str, *, css: str = "link-button", name: str = "",
                value: str = "", confirm: str = "", pressed: bool | None = None, disabled: bool = False,
                extra: str = "") -> Markup:
    """A one-button POST form (delete, accept, vote): works without JavaScript.

    ``action`` is an escaped URL (from ``UrlPattern``); ``label`` and
    ``confirm`` plain text; ``extra`` ready-made (escaped) markup inside the button.
    """
    named = f' name="{escape(name)}" value="{escape(value)}"' if name else ""
    aria = f' aria-pressed="{"true" if pressed else "false"}"' if pressed is not None else ""
    confirm_attr = f' data-confirm="{escape(confirm)}"' if confirm else ""
    return Markup(f'<form method="post" action="{action}" class="inline-form"{confirm_attr}>'
                  f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">'
                  f'<button type="submit" class="{css}"{named}{aria}{" disabled" if disabled else ""}>'
                  f'{extra}{escape(label)}</button></form>')


#: ``moment -> str`` in the reader's words (``web.dates.moment_writer``).
MomentWriter = Callable[[datetime], str]


def flag_link(url: str, label: str) -> Markup:
    """The footer's "Flag" link to the flag form (``url`` escaped already, as ``UrlPattern`` gives it)."""
    return Markup(f'<a class="post__flag" href="{url}" rel="nofollow">{escape(label)}</a>')


def hidden_badge(label: str) -> Markup:
    """What a moderator sees on a hidden item: everyone else does not see the item at all."""
    return Markup(f'<span class="badge badge--hidden">{escape(label)}</span>')


def save_button(action: str, token: str, target_type: str, target_id: int, label: str) -> Markup:
    """The footer's "Save" (a bookmark): a small form, so it works without a script.

    ``action`` (the save route) and ``token`` (the hidden CSRF input) come escaped already, built once per page.
    """
    return Markup(f'<form method="post" action="{action}" class="inline-form">{token}'
                  f'<input type="hidden" name="target_type" value="{escape(target_type)}">'
                  f'<input type="hidden" name="target_id" value="{int(target_id)}">'
                  f'<button type="submit" class="link-button post__save">{escape(label)}</button></form>')
