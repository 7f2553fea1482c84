"""What a question page shows, prepared in Python: the question and its answers as post-like items.

Each is drawn by the one renderer of post-like items (``content.render``),
with what only Q&A adds: the votes beside the text (thumb-sized buttons
that work without JavaScript), the accepted mark and the accept button.
Which buttons a reader gets comes from ``rules.Abilities``, decided once
per page.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup, escape

from ..content.render import PostLike, UrlPattern, flag_link, form_button, hidden_badge, post_like_html, save_button
from ..web.dates import moment_writer
from .reading import QuestionView


@dataclass(frozen=True)
class Words:
    """The page's words, translated once per page (plain text: escaped where written)."""

    vote_up: str
    vote_down: str
    score: str
    accepted: str
    accept: str
    unaccept: str
    edit: str
    edited: str
    former_member: str
    flag: str
    hidden: str
    save: str

    @classmethod
    def translated(cls, gettext) -> Words:
        return cls(vote_up=gettext("Vote up"), vote_down=gettext("Vote down"), score=gettext("Score"),
                   accepted=gettext("Accepted answer"), accept=gettext("Accept this answer"),
                   unaccept=gettext("Undo accepting"), edit=gettext("Edit"), edited=gettext("edited"),
                   former_member=gettext("Former member"), flag=gettext("Flag"),
                   hidden=gettext("Hidden by a moderator"), save=gettext("Save for later"))


def _votes(action: str, csrf: str, score: int, mine: int, may_vote: bool, words: Words, label_id: str) -> Markup:
    """Up, score, down: each button a form; pressing your own vote again withdraws it (value 0)."""
    def button(value: int, arrow: str, label: str) -> Markup:
        pressed = mine == value
        return form_button(action, csrf, "", css="vote__button", name="value", value=str(0 if pressed else value),
                           pressed=pressed, disabled=not may_vote,
                           extra=f'<span aria-hidden="true">{arrow}</span><span class="visually-hidden">'
                                 f'{escape(label)}</span>')
    return Markup(f'<div class="vote" data-vote="{action}" aria-labelledby="{label_id}">'
                  f'{button(1, "▲", words.vote_up)}'
                  f'<span class="vote__score" id="{label_id}" title="{escape(words.score)}">{score}</span>'
                  f'{button(-1, "▼", words.vote_down)}</div>')


def _head(item, words: Words) -> list[Markup]:
    head = [hidden_badge(words.hidden)] if item.hidden_at is not None else []
    if item.edited_at:
        head.append(Markup(f'<span class="post__edited">{escape(words.edited)}</span>'))
    return head


def _keep(can, kind: str, item, flag_url: str, save: tuple[str, str], words: Words) -> list[Markup]:
    """Save (any signed-in reader) and Flag (someone else's), for an item not hidden; ``save``: action, token."""
    if item.hidden_at is not None or can.user_id <= 0:
        return []
    actions = [save_button(*save, kind, item.id, words.save)]
    return actions + [flag_link(flag_url, words.flag)] if can.flag(item) else actions


def _author(person, links: dict) -> tuple[str | None, str | None]:
    if person is None:
        return None, None
    if person.id not in links:
        links[person.id] = url_for("accounts.profile", username=person.username)
    return person.name, links[person.id]


def question_blocks(view: QuestionView, words: Words, *, csrf: str) -> tuple[Markup, list[Markup]]:
    """The question's article and its answers' articles, in the page's order (accepted, score, oldest)."""
    can, question = view.abilities, view.question
    when, links = moment_writer(), {}
    name, url = _author(question.author, links)
    vote_question = url_for("qa.vote_question", question_id=question.id)
    actions = []
    if can.edit:
        edit = escape(url_for("qa.edit_question", question_id=question.id))
        actions.append(Markup(f'<a class="post__edit" href="{edit}">{escape(words.edit)}</a>'))
    token = Markup(f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">')
    save = (escape(url_for("bookmarks.save")), token)
    actions += _keep(can, "question", question, escape(url_for("moderation.flag", target_type="question",
                                                              target_id=question.id)), save, words)
    first = post_like_html(PostLike(
        anchor=f"question-{question.id}", classes="post question", author_name=name, author_url=url,
        moment=question.created_at, when=when(question.created_at), body_html=Markup(question.body_html),
        head=_head(question, words), actions=actions,
        aside=_votes(escape(vote_question), csrf, question.score, view.my_vote, can.vote(question), words,
                     f"score-q{question.id}")), former_member=escape(words.former_member))
    vote_answer = UrlPattern("qa.vote_answer", "answer_id")
    accept = escape(url_for("qa.accept", question_id=question.id))
    flag_answer = UrlPattern("moderation.flag", "target_id", target_type="answer")
    answers = []
    for answer in view.answers:
        name, url = _author(answer.author, links)
        head = _head(answer, words)
        if answer.accepted:
            head.insert(0, Markup(f'<span class="badge badge--accepted">✓ {escape(words.accepted)}</span>'))
        actions = []
        if can.accept:
            actions.append(form_button(accept, csrf, words.unaccept if answer.accepted else words.accept,
                                       css="button button--small " + ("button--quiet" if answer.accepted
                                                                      else "button--secondary"),
                                       name="answer_id", value="" if answer.accepted else str(answer.id)))
        actions += _keep(can, "answer", answer, flag_answer(answer.id), save, words)
        answers.append(post_like_html(PostLike(
            anchor=f"answer-{answer.id}", classes="post answer" + (" answer--accepted" if answer.accepted else ""),
            author_name=name, author_url=url, moment=answer.created_at, when=when(answer.created_at),
            body_html=Markup(answer.body_html), head=head, actions=actions,
            aside=_votes(vote_answer(answer.id), csrf, answer.score, answer.my_vote, can.vote(answer), words,
                         f"score-a{answer.id}")), former_member=escape(words.former_member)))
    return first, answers
