"""Q&A events as notifications, after the commit.

An answer tells the asker (``answer``); an acceptance the answer's author
(``accepted``); a request to answer, on asking, escalated or direct, each
expert or moderator asked (``expert_request``); a mention the person
mentioned (``mention``: a question's through the shared ``mentions``
listener, an answer's here with the asker's notice, so each person hears
once). ``notify`` drops the actor and whoever may not read the community.
"""

from __future__ import annotations

from .. import events
from ..qa.events import AnswerAccepted, AnswerPosted, ExpertsAsked, answer_url, question_url
from .listeners import _user_ids
from .service import notify, notify_by_reason


@events.listen(AnswerPosted)
def answer_notifications(event: AnswerPosted) -> None:
    """The asker hears of each answer; someone mentioned in it, of the mention (once, by that reason)."""
    notify_by_reason([("mention", _user_ids(event.mentions)), ("answer", {event.question_author_id})],
                     event.actor_id, event.community_id, event.title, event.url)


@events.listen(AnswerAccepted)
def accepted_notification(event: AnswerAccepted) -> None:
    if event.answer_id is None:
        return
    notify({event.answer_author_id}, "accepted", event.actor_id, event.community_id, event.title,
           answer_url(event.question_id, event.answer_id))


@events.listen(ExpertsAsked)
def expert_requests(event: ExpertsAsked) -> None:
    notify(set(event.user_ids), "expert_request", event.actor_id, event.community_id, event.title,
           question_url(event.question_id))
