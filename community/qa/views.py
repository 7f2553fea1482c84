"""Q&A pages: the community's Questions tab, asking, a question with its answers, a tag, expertise.

Plain HTML forms that work without JavaScript; ``static/js/ask.js`` adds
the similar questions and tag completion while typing, ``static/js/votes.js``
votes without a reload. Every form calls the same service function as the
JSON API; a form with bad values comes back with its problems (422), a
refused button press (muted, not the asker) returns to the question with
a message.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from ..access import Action, can, decide, require
from ..accounts import service as accounts
from ..communities import service as communities
from ..content.requests import form_values
from ..content.tags import normalize_tag
from ..csrf import masked_csrf_token
from ..errors import Conflict, Forbidden, Invalid
from ..idempotency import idempotent
from ..validation import MISSING
from ..web.pages import flash_refusal, form_failed
from . import expertise, reading, service
from .page import Words, question_blocks

bp = Blueprint("qa", __name__)

QUESTIONS_PER_PAGE = 30
FILTERS = ("unanswered", "answered", "accepted")
SORTS = ("newest", "votes", "active")


def question_list(community) -> dict:
    """What the community page's Questions tab shows (``qa/_tab.html``), from ``?tag=&status=&sort=&cursor=``.

    Unknown filter values fall back to the defaults: a hand-edited address
    still shows a list. The caller has checked that the reader may read the community.
    """
    tag = normalize_tag(request.args.get("tag") or "") or None
    status = request.args.get("status") if request.args.get("status") in FILTERS else None
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "newest"
    page = reading.list_questions(current_user, community, tag=tag, status=status, sort=sort,
                                  limit=QUESTIONS_PER_PAGE, cursor=request.args.get("cursor") or None,
                                  with_expertise=False)
    return {"page": page, "tag": tag, "answer_state": status, "sort": sort, "filters": FILTERS, "sorts": SORTS,
            "tags": reading.popular_tags(community), "can_ask": can(current_user, community, Action.WRITE)}


@bp.route("/c/<slug>/questions/new", methods=["GET", "POST"])
@login_required
@idempotent
def ask(slug: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    context = {"community": community, "popular_tags": _tag_names(community)}
    if request.method == "GET":
        if decide(current_user, community, Action.WRITE).code == "muted":  # told until when and why, no form
            return render_template("qa/ask.html", refusal="muted", values={}, errors={}, **context), 403
        require(current_user, community, Action.WRITE)
        # A link may fill the form in (a chat message's "Ask as a question"); asking stays the asker's step.
        values = {name: request.args.get(name, "") for name in ("title", "body", "tags")}
        return render_template("qa/ask.html", values=values, errors={}, **context)
    values = form_values(request.form.to_dict(), texts=("title", "body"), tags=("tags",))
    try:
        asked = service.ask_question(current_user, community, values["title"], values["body"],
                                     [] if values["tags"] is MISSING else values["tags"])
    except Invalid as error:
        return form_failed("qa/ask.html", error, **context)
    return redirect(url_for("qa.show_question", question_id=asked.question.id))


def _tag_names(community) -> list[str]:
    require(current_user, community, Action.READ)
    return reading.popular_tags(community, limit=50)


def _render_question(question_id: int, *, status: int = 200, errors=None, answer_body: str = ""):
    view = reading.question_view(current_user, question_id, with_expertise=False)
    words = Words.translated(gettext)
    question_html, answers_html = question_blocks(view, words, csrf=masked_csrf_token())
    return render_template(
        "qa/question.html", view=view, question=view.question, community=view.ctx.community,
        question_html=question_html, answers_html=answers_html, can=view.abilities,
        refusal=view.ctx.decide(current_user, Action.WRITE).code, errors=errors or {}, answer_body=answer_body,
    ), status


@bp.get("/questions/<int:question_id>")
@login_required
def show_question(question_id: int):
    return _render_question(question_id)


def _back(question_id: int, anchor: str | None = None):
    return redirect(url_for("qa.show_question", question_id=question_id, _anchor=anchor))


def _refused(error, question_id: int, anchor: str | None = None):
    flash_refusal(error)
    return _back(question_id, anchor)


@bp.post("/questions/<int:question_id>/answers")
@login_required
@idempotent
def answer(question_id: int):
    values = form_values(request.form.to_dict(), texts=("body",))
    try:
        posted = service.post_answer(current_user, question_id, values["body"])
    except Invalid as error:
        return _render_question(question_id, status=422, errors=error.fields,
                                answer_body=request.form.get("body", ""))
    except Forbidden as error:
        return _refused(error, question_id)
    return _back(question_id, f"answer-{posted.id}")


def _vote(kind: str, target_id: int, question_id: int, anchor: str):
    try:
        values = form_values(request.form.to_dict(), integers=("value",))
        service.vote(current_user, kind, target_id, 0 if values["value"] in (MISSING, None) else values["value"])
    except (Forbidden, Invalid) as error:
        return _refused(error, question_id, anchor)
    return _back(question_id, anchor)


@bp.post("/questions/<int:question_id>/vote")
@login_required
def vote_question(question_id: int):
    return _vote("question", question_id, question_id, f"question-{question_id}")


@bp.post("/answers/<int:answer_id>/vote")
@login_required
def vote_answer(answer_id: int):
    question_id = reading.answer_question_id(current_user, answer_id)
    return _vote("answer", answer_id, question_id, f"answer-{answer_id}")


@bp.post("/questions/<int:question_id>/accept")
@login_required
def accept(question_id: int):
    answer_id = None
    try:
        values = form_values(request.form.to_dict(), integers=("answer_id",))
        answer_id = None if values["answer_id"] is MISSING else values["answer_id"]
        service.accept_answer(current_user, question_id, answer_id)
    except (Forbidden, Invalid) as error:
        return _refused(error, question_id)
    return _back(question_id, f"answer-{answer_id}" if answer_id else None)


@bp.route("/questions/<int:question_id>/ask-expert", methods=["GET", "POST"])
@login_required
def ask_expert(question_id: int):
    """Choose one of the best experts on the question's tags who were not asked yet.

    A page of its own: ranking the candidates costs more than the whole
    question page, which only links here.
    """
    if request.method == "GET":
        view = reading.question_view(current_user, question_id)
        if not view.abilities.ask_expert:
            raise Forbidden()
        return render_template("qa/ask_expert.html", question=view.question, community=view.ctx.community,
                               experts=reading.experts_to_ask(current_user, question_id))
    try:
        asked = service.ask_expert(current_user, question_id, request.form.get("username", ""))
    except (Forbidden, Invalid, Conflict) as error:
        return _refused(error, question_id, "experts")
    flash(gettext("%(name)s is asked to answer.", name=asked[0]), "success")
    return _back(question_id, "experts")


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(question_id: int):
    view = reading.question_view(current_user, question_id)
    context = {"question": view.question, "community": view.ctx.community,
               "popular_tags": _tag_names(view.ctx.community)}
    if request.method == "GET":
        if not view.abilities.edit:
            raise Forbidden(gettext("Only the person who asked or a moderator may edit this question."))
        values = {"title": view.question.title, "body": view.question.body, "tags": ", ".join(view.tags)}
        return render_template("qa/edit.html", values=values, errors={}, **context)
    values = form_values(request.form.to_dict(), texts=("title", "body"), tags=("tags",))
    try:
        service.edit_question(current_user, question_id, **values)
    except Invalid as error:
        return form_failed("qa/edit.html", error, **context)
    except Forbidden as error:
        return _refused(error, question_id)
    return _back(question_id)


@bp.get("/tags/<name>")
@login_required
def tag(name: str):
    """A tag's questions in the communities the reader may read, and its experts, best first."""
    tag_name = normalize_tag(name)
    page = reading.questions_with_tag(current_user, tag_name, limit=QUESTIONS_PER_PAGE,
                                      cursor=request.args.get("cursor") or None)
    experts = reading.tag_experts(current_user, tag_name, limit=10).items
    people = accounts.users_by_id([e.user_id for e in experts])
    return render_template("qa/tag.html", tag=tag_name, page=page, experts=experts, people=people)


@bp.post("/u/<username>/endorse")
@login_required
def endorse(username: str):
    tag_name = request.form.get("tag", "")
    try:
        service.endorse(current_user, username, tag_name)
    except (Forbidden, Invalid, Conflict) as error:
        flash_refusal(error)
    return redirect(url_for("accounts.profile", username=username, _anchor="expertise"))


@bp.post("/settings/expertise")
@login_required
def set_expertise():
    values = form_values(request.form.to_dict(), tags=("tags",))
    try:
        service.set_expertise(current_user, [] if values["tags"] is MISSING else values["tags"])
    except Invalid as error:
        flash_refusal(error)
    return redirect(url_for("accounts.profile", username=current_user.username, _anchor="expertise"))


def profile_expertise(person) -> dict:
    """The profile's expertise section: entries as the reader may see them, and the median response time."""
    profile = reading.expert_profile(current_user, person)
    declared = expertise.declared_tags(person.id) if person.id == current_user.id else []
    return {"expertise": profile["expertise"], "median_response_seconds": profile["median_response_seconds"],
            "may_endorse": person.id != current_user.id, "declared": declared}
