"""``/api/v1`` routes for questions, answers, votes, tags and expertise.

Thin: each route parses the request (an absent field is ``MISSING``), makes
one service or reading call and turns the result into the contract's JSON.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user
from sqlalchemy import select

from ..access import Action
from ..accounts.api import user_json
from ..accounts.models import User
from ..api import PREFIX, json_body, list_args, page_json
from ..communities import service as communities
from ..content.authors import Authors
from ..extensions import db
from ..idempotency import idempotent
from ..timeutil import iso
from ..validation import MISSING
from . import api_docs, expertise, reading, service  # noqa: F401  (api_docs describes these routes)
from .events import answer_url, question_url

bp = Blueprint("qa_api", __name__, url_prefix=PREFIX)


def question_summary_json(question, tags: list[str], community_slug: str, authors: Authors) -> dict:
    return {
        "id": question.id,
        "title": question.title,
        "author": authors(question.author),
        "tags": tags,
        "score": question.score,
        "answer_count": question.answer_count,
        "accepted_answer_id": question.accepted_answer_id,
        "created_at": iso(question.created_at),
        "last_activity_at": iso(question.last_activity_at),
        "community": community_slug,
        "url": question_url(question.id),
    }


def answer_json(answer, authors: Authors, *, accepted: bool = False, my_vote: int = 0) -> dict:
    return {
        "id": answer.id,
        "question_id": answer.question_id,
        "author": authors(answer.author),
        "body": answer.body,
        "body_html": answer.body_html,
        "score": answer.score,
        "accepted": accepted,
        "my_vote": my_vote,
        "created_at": iso(answer.created_at),
        "edited_at": iso(answer.edited_at),
        "hidden": getattr(answer, "hidden_at", None) is not None,  # only moderators are shown a hidden answer
        "url": answer_url(answer.question_id, answer.id),
    }


def question_json(view: reading.QuestionView) -> dict:
    authors = Authors()
    question = view.question
    data = question_summary_json(question, view.tags, view.ctx.community.slug, authors)
    data.update({
        "body": question.body,
        "body_html": question.body_html,
        "edited_at": iso(question.edited_at),
        "hidden": question.hidden_at is not None,
        "my_vote": view.my_vote,
        "experts_asked": view.asked,
        "answers": [answer_json(a, authors, accepted=a.accepted, my_vote=a.my_vote) for a in view.answers],
    })
    return data


def expert_json(expert, authors: Authors, users: dict) -> dict:
    return {
        "username": expert.username,
        "user": authors(users.get(expert.user_id)),
        "level": expert.level,
        "accepted_answers": expert.accepted_answers,
        "endorsements": expert.endorsements,
        "median_response_seconds": expert.median_response_seconds,
        "last_active_at": iso(expert.last_active_at),
    }


def _arg(data: dict, name: str):
    return data[name] if name in data else MISSING


def _community_arg():
    slug = request.args.get("community") or None
    return communities.get_community(current_user, slug, Action.VIEW) if slug else None


@bp.get("/communities/<slug>/questions")
def list_questions(slug: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    page = reading.list_questions(current_user, community, tag=request.args.get("tag") or None,
                                  status=request.args.get("status"), sort=request.args.get("sort"), **list_args())
    authors = Authors()
    return page_json(page, lambda s: question_summary_json(s.question, s.tags, community.slug, authors))


@bp.get("/communities/<slug>/questions/similar")
def similar_questions(slug: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    found = reading.similar_questions(current_user, community, request.args.get("title", ""))
    return {"items": [{"id": s.question_id, "title": s.title, "accepted_answer_id": s.accepted_answer_id,
                       "answer_count": s.answer_count, "score": s.score, "created_at": iso(s.created_at),
                       "url": question_url(s.question_id)} for s in found], "next": None}


@bp.post("/communities/<slug>/questions")
@idempotent
def ask_question(slug: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    data = json_body()
    asked = service.ask_question(current_user, community, data.get("title"), data.get("body"), data.get("tags"))
    body = question_json(reading.question_view(current_user, asked.question.id))
    body["experts_notified"] = asked.experts_notified
    return body, 201


@bp.get("/questions/<int:question_id>")
def get_question(question_id: int):
    return question_json(reading.question_view(current_user, question_id))


@bp.patch("/questions/<int:question_id>")
def edit_question(question_id: int):
    data = json_body()
    service.edit_question(current_user, question_id, title=_arg(data, "title"), body=_arg(data, "body"),
                          tags=_arg(data, "tags"))
    return question_json(reading.question_view(current_user, question_id))


@bp.post("/questions/<int:question_id>/answers")
@idempotent
def post_answer(question_id: int):
    answer = service.post_answer(current_user, question_id, json_body().get("body"))
    return answer_json(answer, Authors()), 201


@bp.post("/questions/<int:question_id>/accept")
def accept(question_id: int):
    service.accept_answer(current_user, question_id, _arg(json_body(), "answer_id"))
    return question_json(reading.question_view(current_user, question_id))


@bp.post("/questions/<int:question_id>/vote")
def vote_question(question_id: int):
    result = service.vote(current_user, "question", question_id, _arg(json_body(), "value"))
    return {"score": result.score, "my_vote": result.my_vote}


@bp.post("/answers/<int:answer_id>/vote")
def vote_answer(answer_id: int):
    result = service.vote(current_user, "answer", answer_id, _arg(json_body(), "value"))
    return {"score": result.score, "my_vote": result.my_vote}


@bp.post("/questions/<int:question_id>/experts")
@idempotent
def ask_expert(question_id: int):
    return {"experts_notified": service.ask_expert(current_user, question_id, json_body().get("username"))}


@bp.get("/tags")
def list_tags():
    page = reading.list_tags(current_user, community=_community_arg(), q=request.args.get("q") or None,
                             **list_args())
    return page_json(page, lambda t: {"name": t.name, "question_count": t.question_count, "experts": t.experts})


@bp.get("/tags/<name>/experts")
def tag_experts(name: str):
    page = reading.tag_experts(current_user, name, community=_community_arg(), **list_args())
    users = _users([e.user_id for e in page.items])
    expertise.prefetch(users, current_user)
    authors = Authors()
    return page_json(page, lambda e: expert_json(e, authors, users))


def _users(ids: list[int]) -> dict:
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


@bp.put("/users/me/expertise")
def set_expertise():
    service.set_expertise(current_user, _arg(json_body(), "tags"))
    return user_json(current_user, with_email=True)


@bp.post("/users/<username>/endorsements")
@idempotent
def endorse(username: str):
    target = service.endorse(current_user, username, json_body().get("tag"))
    return user_json(target), 201


@bp.put("/communities/<slug>/experts/<username>")
def recognize(slug: str, username: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    data = json_body()
    target = service.recognize_expert(current_user, community, username, data.get("tag"),
                                      data.get("recognized"))
    return user_json(target)
