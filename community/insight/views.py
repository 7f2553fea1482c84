"""``/c/<slug>/insight``: the trainer's figures as a page, and the form that invites a silent member.

The same 404/403 as the API (``load_community(…, Action.MODERATE)``, and
the site's 404 page). A phone-width page: figures as a list, the weekly
series as two server-drawn SVG charts, each silent member with a small
form that invites them into one of the community's recent threads.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..access import Action
from ..communities.pages import community_context, load_community
from ..errors import DomainError
from ..validation import Fields
from ..web.dates import duration
from ..web.pages import error_text
from . import cache, charts, figures, service

bp = Blueprint("insight", __name__)
SILENT_SHOWN = 20  # each with its own form: the rest are counted, and all are in the API


def _label(day) -> str:
    return f"{day.day}/{day.month}"


def activity_chart(weeks: list[figures.Week]) -> charts.Chart:
    return charts.bar_chart(str(_l("Contributions per week")), [
        charts.Bar(_label(w.starts_on), w.contributions,
                   ", ".join((ngettext("%(num)d contribution", "%(num)d contributions", w.contributions),
                              ngettext("%(num)d active member", "%(num)d active members", w.active_members))))
        for w in weeks], css_class="chart--activity")


def answer_time_chart(weeks: list[figures.Week]) -> charts.Chart:
    none = gettext("no answered questions")
    return charts.bar_chart(str(_l("Median time to a first answer, by week asked (minutes)")), [
        charts.Bar(_label(w.starts_on), w.median_first_answer_minutes,
                   none if w.median_first_answer_minutes is None else duration(w.median_first_answer_minutes * 60))
        for w in weeks], css_class="chart--answers")


@bp.get("/c/<slug>/insight")
@login_required
def insight(slug: str):
    community = load_community(slug, Action.MODERATE)
    found = cache.figures_for(current_user, community, figures.community_figures)
    return render_template("insight/insight.html", tab="insight", figures=found,
                           charts=[activity_chart(found.weeks), answer_time_chart(found.weeks)],
                           silent=found.silent_members[:SILENT_SHOWN],
                           threads=figures.recent_threads(community), **community_context(community))


@bp.post("/c/<slug>/insight/invitations")
@login_required
def invite(slug: str):
    """One member (``username``) into one thread (``thread_id``) of this community, then back to the page."""
    community = load_community(slug, Action.MODERATE)
    try:
        fields = Fields(request.form.to_dict(), from_form=True)
        thread_id = fields.integer("thread_id", required=True, minimum=1)
        fields.check()
        invited = service.invite_to_thread(current_user, thread_id, request.form.get("username", ""),
                                           community=community, from_form=True)
    except DomainError as error:
        flash("; ".join(error.fields.values()) if error.fields else error_text(error), "error")
    else:
        flash(gettext("%(name)s is invited into the thread.", name=", ".join(invited)), "success")
    return redirect(url_for("insight.insight", slug=community.slug, _anchor="silent"))
