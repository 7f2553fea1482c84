"""Questions and answers with experts: asking, answering, votes, acceptance, expertise, routing, escalation.

``init_app`` is what ``create_app`` calls: it registers the JSON blueprint and
the escalation job of the scheduler. The HTML pages are the web layer's.
Notification listeners for Q&A events live in ``qa/listeners.py``, imported here
so that they are registered whenever the capability is.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import models  # noqa: F401  (the tables, for the metadata)
