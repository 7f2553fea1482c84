"""What a thread page shows, prepared in Python for its template.

Each post becomes a ``PostRow``: exactly the strings and yes/no answers the
page prints: who, when, what, and which buttons this reader gets (from
``rules.Abilities``, decided once per page).

Each row becomes markup through the one renderer of post-like items,
``content.render`` (an f-string, not a Jinja loop: see there for why);
``post_html`` adds only a post's own parts: reactions, reply, edit,
delete, earlier versions. Everything else on the page is in
``templates/discussions/thread.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from markupsafe import Markup, escape

from ..content.render import PostLike, UrlPattern, deleted_html, flag_link, hidden_badge, post_like_html, save_button
from ..web.dates import moment_writer
from .models import Post
from .reading import PostRecord, PostView, ThreadView
from .rules import Abilities

#: ``rules.may_see_revisions`` bound to one reader and thread.
SeesRevisions = Callable[[Post | PostRecord], bool]

#: Replies deeper than this are folded into a <details> under their
#: ancestor at this depth; the stylesheet stops indenting one level later.
FOLD_DEPTH = 3
#: CSS classes run from depth-0 to depth-5; "5" means "deeper than four".
DEPTH_CLASS_MAX = 5


@dataclass(slots=True)
class PostRow:
    id: int
    depth: int
    css_depth: int
    deleted: bool
    author_name: str | None
    author_url: str | None
    created: datetime
    when: str
    edited: bool
    history: bool  # edited, and this reader may see the earlier versions
    parent_id: int | None
    parent_name: str | None  # only for folded (deep) posts, which lose their indentation
    body_html: Markup
    reactions: list[tuple[str, int, bool]]  # (emoji, count, the reader's own)
    may_react: bool
    may_edit: bool
    may_delete: bool
    may_flag: bool = False
    may_save: bool = False
    hidden: bool = False  # hidden by a moderator: only moderators get the row with its text


@dataclass
class Branch:
    """A run of posts below ``FOLD_DEPTH`` following their ancestor: shown folded."""

    posts: list


def page_items(rows: list) -> list:
    """Rows in tree order, each run of deep replies grouped as one ``Branch``.

    Tree order keeps every post's descendants right after it, so a run of
    rows deeper than ``FOLD_DEPTH`` is exactly the deep part of one branch.
    """
    items: list = []
    for row in rows:
        if row.depth > FOLD_DEPTH:
            if not items or not isinstance(items[-1], Branch):
                items.append(Branch([]))
            items[-1].posts.append(row)
        else:
            items.append(row)
    return items


def post_rows(view: ThreadView, can: Abilities, may_see_revisions: SeesRevisions) -> list[PostRow]:
    """One row per post, in tree order; profile links built once per author.

    ``may_see_revisions(post)`` is ``rules.may_see_revisions`` for this reader
    and thread; it is asked only about edited posts and runs no query.
    """
    links: dict[int, str] = {}
    when = moment_writer()
    names: dict[int, str] = {}  # post id -> author name, for "in reply to"
    rows = []
    for pv in view.posts:
        rows.append(_row(pv, can, may_see_revisions, links, names, when))
    return rows


def _row(pv: PostView, can: Abilities, may_see_revisions: SeesRevisions, links: dict,
         names: dict, when: Callable[[datetime], str]) -> PostRow:
    post, author = pv.post, pv.post.author
    deleted = post.deleted
    name = url = None
    if author is not None and not deleted:
        name = author.name
        url = links.get(author.id)
        if url is None:
            url = links[author.id] = url_for("accounts.profile", username=author.username)
        names[post.id] = name
    created = post.created_at
    edited = post.edited_at is not None
    mine = pv.my_reactions
    return PostRow(
        id=post.id, depth=post.depth, css_depth=min(post.depth, DEPTH_CLASS_MAX), deleted=deleted,
        author_name=name, author_url=url, created=created, when=when(created),
        edited=edited, history=edited and may_see_revisions(post), parent_id=post.parent_id,
        parent_name=names.get(post.parent_id) if post.depth > FOLD_DEPTH else None,
        body_html=Markup(post.body_html),  # rendered and sanitized by markup.render_markdown on write
        reactions=[] if deleted else [(e, n, e in mine) for e, n in pv.reactions.items()],
        may_react=can.react(post), may_edit=can.edit(post), may_delete=can.delete(post),
        may_flag=can.flag(post) and post.hidden_at is None, hidden=post.hidden_at is not None,
        may_save=can.user_id > 0 and not deleted and post.hidden_at is None,
    )


@dataclass(frozen=True)
class Labels:
    """The page's words, translated and escaped once per page."""

    reply: str
    edit: str
    delete: str
    confirm_delete: str
    add_reaction: str
    edited: str
    earlier_versions: str
    deleted: str
    former_member: str
    in_reply_to: str
    flag: str
    hidden: str
    save: str

    @classmethod
    def translated(cls, gettext) -> Labels:
        words = {"reply": gettext("Reply"), "edit": gettext("Edit"), "delete": gettext("Delete"),
                 "confirm_delete": gettext("Delete this post?"), "add_reaction": gettext("Add a reaction"),
                 "edited": gettext("edited"), "earlier_versions": gettext("Show the earlier versions"),
                 "deleted": gettext("This post was deleted."),
                 "former_member": gettext("Former member"), "in_reply_to": gettext("in reply to"),
                 "flag": gettext("Flag"), "hidden": gettext("Hidden by a moderator"), "save": gettext("Save for later")}
        return cls(**{key: str(escape(value)) for key, value in words.items()})


@dataclass(frozen=True)
class Links:
    """The per-post addresses of a page, from ``url_for`` once each (``content.render.UrlPattern``)."""

    react: UrlPattern
    edit: UrlPattern
    delete: UrlPattern
    revisions: UrlPattern
    flag: UrlPattern
    save: str = ""  # the bookmark form's action, escaped

    @classmethod
    def for_posts(cls) -> Links:
        return cls(*(UrlPattern(f"discussions.{name}", "post_id")
                     for name in ("react", "edit_post", "delete_post", "post_revisions")),
                   UrlPattern("moderation.flag", "target_id", target_type="post"),
                   str(escape(url_for("bookmarks.save"))))


def post_html(p: PostRow, words: Labels, links: Links, *, csrf: str, reply_url: str, can_reply: bool) -> Markup:
    """One post as an ``<article id="post-{id}">`` (``content.render``); ``csrf``, ``reply_url`` unescaped."""
    pid = p.id
    if p.deleted:
        return deleted_html(f"post-{pid}", f"post depth-{p.css_depth}", words.deleted)
    head = []
    if p.history:
        head.append(f'<a class="post__edited" href="{links.revisions(pid)}" title="{words.earlier_versions}">'
                    f'{words.edited}</a>')
    elif p.edited:
        head.append(f'<span class="post__edited">{words.edited}</span>')
    if p.hidden:
        head.append(hidden_badge(Markup(words.hidden)))
    if p.parent_name:
        head.append(f'<a class="post__parent" href="#post-{p.parent_id}">{words.in_reply_to} '
                    f'{escape(p.parent_name)}</a>')
    token = f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">'
    react = links.react(pid)
    actions = []
    if p.reactions:
        disabled = "" if p.may_react else " disabled"
        buttons = "".join(
            f'<button type="submit" name="emoji" value="{escape(emoji)}" class="reaction" '
            f'aria-pressed="{"true" if mine else "false"}"{disabled}>{escape(emoji)} '
            f'<span class="reaction__count">{count}</span></button>' for emoji, count, mine in p.reactions)
        actions.append(f'<form class="reactions" method="post" action="{react}">{token}{buttons}</form>')
    if p.may_react:
        actions.append(f'<a class="post__react" href="{react}" data-react="{pid}" title="{words.add_reaction}">'
                       f'<span aria-hidden="true">☺+</span></a>')
    if can_reply:
        actions.append(f'<a class="post__reply" href="{escape(reply_url)}?to={pid}#reply" '
                       f'data-reply-to="{pid}">{words.reply}</a>')
    if p.may_edit:
        actions.append(f'<a class="post__edit" href="{links.edit(pid)}">{words.edit}</a>')
    if p.may_delete:
        actions.append(f'<form method="post" action="{links.delete(pid)}" class="inline-form" '
                       f'data-confirm="{words.confirm_delete}">{token}'
                       f'<button type="submit" class="link-button post__delete">{words.delete}</button></form>')
    if p.may_save:
        actions.append(save_button(links.save, token, "post", pid, Markup(words.save)))
    if p.may_flag:
        actions.append(flag_link(links.flag(pid), Markup(words.flag)))
    return post_like_html(PostLike(
        anchor=f"post-{pid}", classes=f"post depth-{p.css_depth}" + (" post--hidden" if p.hidden else ""),
        author_name=p.author_name, author_url=p.author_url, moment=p.created, when=p.when, body_html=p.body_html,
        head=head, actions=actions), former_member=words.former_member)


def page_blocks(view: ThreadView, can: Abilities, words: Labels, *, csrf: str,
                reply_url: str, may_see_revisions: SeesRevisions) -> list:
    """The posts as the template prints them: ``Markup`` per post, ``Branch`` of ``Markup`` when folded."""
    links = Links.for_posts()

    def html(row: PostRow) -> Markup:
        return post_html(row, words, links, csrf=csrf, reply_url=reply_url, can_reply=can.reply)

    blocks = []
    for item in page_items(post_rows(view, can, may_see_revisions)):
        blocks.append(Branch([html(row) for row in item.posts]) if isinstance(item, Branch) else html(item))
    return blocks
