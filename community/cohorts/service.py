"""Follow-up prompts: what a cohort's moderators schedule, list and cancel.

The prompt is written now and posted later, on ``post_on``, by the
scheduler (``jobs.post_due_follow_ups``) as a thread in the name of the
moderator who wrote it. Only a training's cohort group has them: its
``ends_on`` is what "after the training" is measured from.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from .. import events
from ..access import Action, require
from ..accounts.models import User
from ..communities.models import Community
from ..content.checks import read_body, read_title
from ..errors import Conflict, Forbidden, NotFound
from ..extensions import db
from ..pagination import Page, paginate
from ..timeutil import today
from ..validation import MISSING, Fields
from .models import FollowUpPrompt


def list_follow_ups(actor: User, community: Community, *, limit: int = 20, cursor: str | None = None) -> Page:
    """Moderators: the community's prompts, scheduled and posted, by day (the next one first)."""
    require(actor, community, Action.MODERATE)
    stmt = (select(FollowUpPrompt).options(joinedload(FollowUpPrompt.created_by))
            .where(FollowUpPrompt.community_id == community.id))
    return paginate(stmt, (FollowUpPrompt.post_on, FollowUpPrompt.id), lambda p: (p.post_on, p.id),
                    limit=limit, cursor=cursor)


def schedule_follow_up(actor: User, community: Community, title, body, post_on) -> FollowUpPrompt:
    """A prompt to post on ``post_on`` (``YYYY-MM-DD``, UTC): today or later, and not before the training ends.

    ``title`` and ``body`` follow the limits of any thread. Every problem is
    told at once (422 with ``fields``).
    """
    require(actor, community, Action.MODERATE)
    if community.kind != "cohort":
        raise Forbidden(_l("Follow-up prompts are for cohort groups, after their training."))
    given = {"title": title, "body": body, "post_on": post_on}
    fields = Fields({name: value for name, value in given.items() if value is not MISSING})
    title = read_title(fields, required=True)
    body = read_body(fields, required=True)
    day = fields.day("post_on", required=True, nullable=False)
    if isinstance(day, date):
        if day < today():
            fields.problem("post_on", _l("Choose today or a later day."))
        elif community.ends_on is not None and day < community.ends_on:
            fields.problem("post_on", _l("Choose the last day of the training (%(date)s) or a later day.",
                                         date=community.ends_on.isoformat()))
    fields.check()
    prompt = FollowUpPrompt(community_id=community.id, created_by_id=actor.id, title=title, body=body,
                            post_on=day, state="scheduled")
    db.session.add(prompt)
    events.commit(db.session)
    return prompt


def get_prompt(actor: User, prompt_id: int) -> FollowUpPrompt:
    """The prompt, for a moderator of its community; 404 to anyone who may not know the community."""
    prompt = db.session.get(FollowUpPrompt, prompt_id)
    if prompt is None:
        raise NotFound()
    require(actor, db.session.get(Community, prompt.community_id), Action.MODERATE)
    return prompt


def cancel_follow_up(actor: User, prompt_id: int) -> None:
    """Cancel a prompt not posted yet (it is gone); a posted one is a thread now (409: delete that instead)."""
    prompt = get_prompt(actor, prompt_id)
    # Conditional, like the scheduler's claim: of a cancel and a posting at once, exactly one wins.
    gone = db.session.execute(delete(FollowUpPrompt).where(
        FollowUpPrompt.id == prompt.id, FollowUpPrompt.state != "posted")
        .execution_options(synchronize_session=False)).rowcount
    if not gone:
        db.session.rollback()
        raise Conflict(_l("This follow-up prompt is posted already. Delete its discussion instead."))
    events.commit(db.session)
