"""The notification a muted member gets: in their own language, until when and why.

The notification's ``title`` is the whole message, worded when it is made:
an API client shows it as it is, and it stays true to the mute it was about.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, gettext

from .. import events
from ..accounts.models import User
from ..communities.models import Community
from ..extensions import db
from ..timeutil import parse_datetime
from ..urls import site_path
from ..web.dates import moment_text
from .service import notify


def mute_text(community_name: str, until: str, reason: str) -> str:
    """What the muted member reads, in the current language: where, until when (UTC) and why."""
    when = f"{moment_text(parse_datetime(until))} UTC"  # written as every page writes a moment
    if reason:
        return gettext("You are muted in %(community)s until %(time)s: %(reason)s",
                       community=community_name, time=when, reason=reason)
    return gettext("You are muted in %(community)s until %(time)s.", community=community_name, time=when)


@events.listen(events.MembershipChanged)
def muted(event: events.MembershipChanged) -> None:
    """The muted member hears of it in their own language: the notification's title is the whole message."""
    if event.action != "muted" or not event.detail:
        return
    community = db.session.get(Community, event.community_id)
    member = db.session.get(User, event.user_id)
    if community is None or member is None:
        return
    with force_locale(member.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        title = mute_text(community.name, event.detail, event.reason)
    notify({member.id}, "muted", event.actor_id, community.id, title,
           site_path("communities.show", slug=community.slug))
