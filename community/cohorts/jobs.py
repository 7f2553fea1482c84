"""The cohort lifecycle by the clock: follow-up prompts posted on their day, phase changes noticed.

Both are scheduler jobs (``community/scheduler.py``): every server process
looks, and each piece of work is *claimed* with a conditional ``UPDATE``
first, so of several processes (or a job run twice) exactly one posts a
prompt or tells of a phase change. State lives in the database, so a
restart loses nothing: what was due is still due at the next look.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import case, or_, select

from .. import events
from ..accounts.models import User
from ..communities.models import Community
from ..database import reading
from ..discussions import service as discussions
from ..discussions.models import Thread
from ..errors import DomainError
from ..extensions import db
from ..scheduler import claim, job
from ..timeutil import today, utcnow
from .events import FollowUpPosted, PhaseChanged
from .models import FollowUpPrompt

log = logging.getLogger(__name__)
BATCH = 100  # prompts or communities per look at most; the rest wait for the next look


@job("follow_ups")
def post_due_follow_ups() -> int:
    """Post every scheduled prompt whose day has come; returns how many this process posted."""
    with reading():
        due = db.session.scalars(select(FollowUpPrompt.id).where(
            FollowUpPrompt.state == "scheduled", FollowUpPrompt.post_on <= today())
            .order_by(FollowUpPrompt.post_on, FollowUpPrompt.id).limit(BATCH)).all()
        db.session.rollback()  # end the read before each claim takes the write lock
    posted = sum(1 for prompt_id in due if post_follow_up(prompt_id))
    return posted + finish_interrupted()


#: A prompt posted longer ago than this without its thread recorded was interrupted (a crash between
#: the thread's commit and the next); younger ones may still be on their way in another process.
INTERRUPTED_AFTER = timedelta(minutes=2)
#: How far back a look goes for them: older ones (their thread deleted since) are left alone.
INTERRUPTED_WITHIN = timedelta(days=2)


def finish_interrupted() -> int:
    """Record the thread of a prompt posted by a process that died before its second commit, and tell members.

    ``post_follow_up`` commits the claim with the thread, then the thread's
    id with the members' notifications. A crash between the two leaves a
    posted prompt without ``thread_id``: this finds the thread its author
    got at that moment and claims ``thread_id`` from None (once across
    processes), so the members are told after all.
    """
    now = utcnow()
    with reading():
        interrupted = db.session.execute(select(
            FollowUpPrompt.id, FollowUpPrompt.community_id, FollowUpPrompt.created_by_id, FollowUpPrompt.title,
            FollowUpPrompt.posted_at).where(
            FollowUpPrompt.state == "posted", FollowUpPrompt.thread_id.is_(None),
            FollowUpPrompt.posted_at < now - INTERRUPTED_AFTER, FollowUpPrompt.posted_at > now - INTERRUPTED_WITHIN)
            .limit(BATCH)).all()
        db.session.rollback()
    done = 0
    for prompt_id, community_id, author_id, title, posted_at in interrupted:
        thread_id = db.session.scalar(select(Thread.id).where(
            Thread.community_id == community_id, Thread.author_id == author_id, Thread.title == title,
            Thread.created_at >= posted_at).order_by(Thread.id).limit(1))
        if thread_id is None or not claim(FollowUpPrompt, prompt_id, "thread_id", None, thread_id):
            db.session.rollback()
            continue
        events.record(db.session, FollowUpPosted(prompt_id, community_id, thread_id, author_id, title))
        events.commit(db.session)
        done += 1
    return done


def post_follow_up(prompt_id: int) -> bool:
    """Claim one prompt and post it as its author's thread; False when another process was first.

    The claim and the thread commit together (``start_thread`` commits), so a
    failure gives the claim back. The thread's id and the members'
    notifications follow in a second commit; should the process die between
    the two, ``finish_interrupted`` completes it at a later look.
    """
    if not claim(FollowUpPrompt, prompt_id, "state", "scheduled", "posted", posted_at=utcnow()):
        db.session.rollback()
        return False
    prompt = db.session.get(FollowUpPrompt, prompt_id, populate_existing=True)
    community = db.session.get(Community, prompt.community_id)
    author = db.session.get(User, prompt.created_by_id) if prompt.created_by_id else None
    try:
        if author is None:
            raise DomainError("the author's account is gone")
        thread = discussions.start_thread(author, community, prompt.title, prompt.body)
    except DomainError as error:  # the author may no longer write here: nobody else's name goes on it
        db.session.rollback()
        log.warning("follow-up prompt %s not posted: %s", prompt_id, error)
        if claim(FollowUpPrompt, prompt_id, "state", "scheduled", "failed"):
            events.commit(db.session)
        else:
            db.session.rollback()
        return False
    prompt = db.session.get(FollowUpPrompt, prompt_id, populate_existing=True)
    prompt.thread_id = thread.id
    events.record(db.session, FollowUpPosted(prompt.id, community.id, thread.id, author.id, prompt.title))
    events.commit(db.session)
    return True


def phase_on(day):
    """SQL twin of ``Community.phase`` on ``day``, so a look reads only the cohorts whose phase moved.

    Kept equal to the property by ``tests/api/test_cohorts.py``; every look
    otherwise loaded every cohort there is.
    """
    return case(
        (Community.archived_at.is_not(None), "archived"),
        (or_(Community.kind != "cohort", Community.starts_on.is_(None), Community.ends_on.is_(None)), "active"),
        (Community.starts_on > day, "upcoming"),
        (Community.ends_on >= day, "running"),
        else_="follow_up")


@job("cohort_phases")
def notice_phase_changes() -> int:
    """Tell of every cohort whose phase differs from the one last seen; returns how many changes this process told."""
    phase = phase_on(today())
    with reading():
        changed = db.session.execute(
            select(Community.id, Community.phase_seen, phase)
            .where(Community.kind == "cohort", or_(Community.phase_seen.is_(None), Community.phase_seen != phase))
            .order_by(Community.id).limit(BATCH)).all()
        db.session.rollback()
    return sum(1 for cid, old, new in changed if _tell_phase(cid, old, new))


def _tell_phase(community_id: int, old: str | None, new: str) -> bool:
    if not claim(Community, community_id, "phase_seen", old, new):
        db.session.rollback()
        return False
    if old is None:  # first sight (a new cohort, or the first look after the upgrade): nothing changed yet
        db.session.commit()
        return False
    events.record(db.session, PhaseChanged(community_id, old, new))
    events.commit(db.session)
    return True
