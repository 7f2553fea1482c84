"""Discussion pages: a thread, the community's thread list, and the forms that change them.

Plain HTML forms that work without JavaScript; ``static/js/thread.js`` only
moves the reply form under the post being answered, previews Markdown and
sends reactions without a reload. Every form calls the same service as the
JSON API. A form with bad values is shown again with its problems (422);
a refused button press (muted, locked, not a moderator) comes back to the
thread with a message; not-found and sign-in keep their own pages.
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from ..access import Action, can, require
from ..communities import service as communities
from ..content.requests import form_values
from ..content.tags import normalize_tag
from ..csrf import masked_csrf_token
from ..errors import DomainError, Forbidden, Invalid, NotFound
from ..idempotency import idempotent
from ..validation import MISSING
from ..web.pages import flash_refusal, form_failed
from . import reading, rules, service
from .page import Labels, page_blocks

bp = Blueprint("discussions", __name__)


def _thread_url(thread_id: int, post_id: int | None = None) -> str:
    return url_for("discussions.show_thread", thread_id=thread_id,
                   _anchor=f"post-{post_id}" if post_id else None)


def _render_thread(thread_id: int, *, status: int = 200, reply_errors=None, reply_body: str = "",
                   reply_to: int | None = None):
    view = reading.thread_view(current_user, thread_id)
    abilities = rules.abilities(current_user, view.ctx)
    reply_url = url_for("discussions.reply", thread_id=thread_id)
    blocks = page_blocks(view, abilities, Labels.translated(gettext), csrf=masked_csrf_token(),
                         reply_url=reply_url,
                         may_see_revisions=partial(rules.may_see_revisions, current_user, view.ctx))
    return render_template(
        "discussions/thread.html", view=view, thread=view.thread, community=view.ctx.community,
        blocks=blocks, can=abilities, refusal=view.ctx.decide(current_user, Action.WRITE).code,
        reply_url=reply_url, errors=reply_errors or {}, reply_body=reply_body, reply_to=reply_to,
        reactions=reading.reaction_set(),
    ), status


@bp.get("/threads/<int:thread_id>")
@login_required
def show_thread(thread_id: int):
    return _render_thread(thread_id)


THREADS_PER_PAGE = 30


def thread_list(community) -> dict:
    """What the community page's Discussions tab shows (``discussions/_tab.html``), from ``?tag=&cursor=``.

    The caller has checked that the reader may read the community.
    """
    tag = normalize_tag(request.args.get("tag") or "") or None
    cursor = request.args.get("cursor") or None
    page = reading.list_threads(current_user, community, tag=tag, limit=THREADS_PER_PAGE, cursor=cursor)
    return {"page": page, "tag": tag, "tags": reading.popular_tags(community),
            "can_start": can(current_user, community, Action.WRITE)}


@bp.get("/c/<slug>/threads")
@login_required
def list_threads(slug: str):
    """The thread list is the community page's first tab; this address leads there."""
    return redirect(url_for("communities.show", slug=slug, tag=request.args.get("tag") or None,
                            cursor=request.args.get("cursor") or None))


@bp.route("/c/<slug>/threads/new", methods=["GET", "POST"])
@login_required
@idempotent
def new_thread(slug: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    if request.method == "GET":
        require(current_user, community, Action.WRITE)
        return render_template("discussions/new_thread.html", community=community, values={}, errors={})
    try:
        values = form_values(request.form.to_dict(), texts=("title", "body"), tags=("tags",))
        thread = service.start_thread(current_user, community, values["title"], values["body"], values["tags"])
    except Invalid as error:
        return form_failed("discussions/new_thread.html", error, community=community)
    return redirect(_thread_url(thread.id))


@bp.route("/threads/<int:thread_id>/reply", methods=["GET", "POST"])
@login_required
@idempotent
def reply(thread_id: int):
    """Without JavaScript, ``reply`` links lead here; the reply form posts here."""
    if request.method == "GET":
        return _render_thread(thread_id, reply_to=request.args.get("to", type=int))
    try:
        values = form_values(request.form.to_dict(), texts=("body",), integers=("parent_id",))
        post = service.post_reply(current_user, thread_id, values["body"], _none(values["parent_id"]))
    except Invalid as error:
        return _render_thread(thread_id, status=422, reply_errors=error.fields, reply_body=request.form.get("body", ""),
                              reply_to=request.form.get("parent_id", type=int))
    except _REFUSALS as error:
        return _refused(error, thread_id)
    return redirect(_thread_url(thread_id, post.id))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    post, ctx = service.get_post(current_user, post_id)
    context = {"post": post, "thread": ctx.thread}
    if request.method == "GET":
        rules.require_edit_post(current_user, ctx, post)
        return render_template("discussions/edit_post.html", values={"body": post.body}, errors={}, **context)
    try:
        service.edit_post(current_user, post_id, form_values(request.form.to_dict(), texts=("body",))["body"])
    except Invalid as error:
        return form_failed("discussions/edit_post.html", error, **context)
    return redirect(_thread_url(ctx.thread.id, post_id))


REVISIONS_PER_PAGE = 20


@bp.get("/posts/<int:post_id>/revisions")
@login_required
def post_revisions(post_id: int):
    """The post as it is now, then its earlier versions, newest first (``?cursor=`` pages on).

    Whoever may not see them gets the page a missing post gets, so the page
    does not even confirm that the post was edited.
    """
    cursor = request.args.get("cursor") or None
    try:
        page = reading.list_revisions(current_user, post_id, limit=REVISIONS_PER_PAGE, cursor=cursor)
    except Forbidden:
        raise NotFound() from None
    post, ctx = service.get_post(current_user, post_id)
    return render_template("discussions/revisions.html", post=post, thread=ctx.thread, page=page,
                           back_url=_thread_url(ctx.thread.id, post_id))


@bp.post("/posts/<int:post_id>/delete")
@login_required
def delete_post(post_id: int):
    _post, ctx = service.get_post(current_user, post_id)
    try:
        service.delete_post(current_user, post_id)
    except _REFUSALS as error:
        return _refused(error, ctx.thread.id, post_id)
    return redirect(_thread_url(ctx.thread.id, post_id))


@bp.route("/posts/<int:post_id>/react", methods=["GET", "POST"])
@login_required
def react(post_id: int):
    """Reaction buttons toggle: a second press takes the reaction back.

    GET shows every choice, for readers without JavaScript (the thread page
    then offers a link here instead of a picker).
    """
    post, ctx = service.get_post(current_user, post_id)
    if request.method == "GET":
        rules.require_react(current_user, ctx, post)
        _counts, mine = service.post_reactions(post_id, current_user)
        return render_template("discussions/react.html", post=post, thread=ctx.thread,
                               reactions=reading.reaction_set(), mine=mine)
    try:
        service.toggle_reaction(current_user, post_id, request.form.get("emoji", ""))
    except (*_REFUSALS, Invalid) as error:
        return _refused(error, ctx.thread.id, post_id)
    return redirect(_thread_url(ctx.thread.id, post_id))


@bp.post("/threads/<int:thread_id>/follow")
@login_required
def follow(thread_id: int):
    if request.form.get("follow") == "0":
        service.unfollow_thread(current_user, thread_id)
    else:
        service.follow_thread(current_user, thread_id)
    return redirect(_thread_url(thread_id))


@bp.route("/threads/<int:thread_id>/edit", methods=["GET", "POST"])
@login_required
def edit_thread(thread_id: int):
    """Title and tags (author or moderator); the pin and lock buttons post here too."""
    ctx = rules.thread_context(current_user, thread_id)
    if request.method == "GET":
        rules.require_change_thread(current_user, ctx, content=True, flags=False)
        tags = reading.thread_tags([thread_id]).get(thread_id, [])
        return render_template("discussions/edit_thread.html", thread=ctx.thread, errors={},
                               values={"title": ctx.thread.title, "tags": ", ".join(tags)})
    try:
        values = form_values(request.form.to_dict(), texts=("title",), tags=("tags",), booleans=("pinned", "locked"))
        service.change_thread(current_user, thread_id, **values)
    except Invalid as error:
        if not {"title", "tags"} & set(request.form):
            return _refused(error, thread_id)
        return form_failed("discussions/edit_thread.html", error, thread=ctx.thread)
    except _REFUSALS as error:
        return _refused(error, thread_id)
    return redirect(_thread_url(thread_id))


def _none(value):
    return None if value is MISSING else value


# Refusals a reader can understand on the thread page itself (a flash
# message); not-found and sign-in keep their own pages.
_REFUSALS = (Forbidden,)


def _refused(error: DomainError, thread_id: int, post_id: int | None = None):
    flash_refusal(error)
    return redirect(_thread_url(thread_id, post_id))
