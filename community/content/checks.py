"""The checks every post-like text gets: a title, a Markdown body, tags.

Limits are settings (``TITLE_MIN``, ``TITLE_MAX``, ``BODY_MAX``) and count
visible characters after normalising (``Fields.text``). Services call these
on the typed values they were given (``check_post_like``): the door has
parsed the request, the service decides whether the values are acceptable,
and a refusal is the contract's 422 ``invalid`` with ``fields``.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..validation import MISSING, Fields
from .tags import read_tags


def read_body(fields: Fields, *, required: bool = True, name: str = "body", max_len: int | None = None):
    """The Markdown as written (normalised by ``Fields.text``), 1 to BODY_MAX visible characters."""
    body = fields.text(name, required=required, max_len=max_len or current_app.config["BODY_MAX"],
                       strip=False, multiline=True)
    if body == "":
        fields.problem(name, _l("This field is required."))
    return body


def read_title(fields: Fields, *, required: bool):
    """One line: runs of whitespace (a pasted newline, a tab) become one space."""
    if isinstance(fields.data.get("title"), str):
        fields.data = {**fields.data, "title": " ".join(fields.data["title"].split())}
    config = current_app.config
    return fields.text("title", required=required, min_len=config["TITLE_MIN"], max_len=config["TITLE_MAX"])


def read_some_tags(fields: Fields, *, minimum: int = 0, required: bool = False):
    """``read_tags`` with a lower bound: a question needs at least one tag."""
    if required and not fields.present("tags"):
        fields.problem("tags", _l("Give at least %(n)d tag.", n=max(minimum, 1)))
        return MISSING
    tags = read_tags(fields)
    if tags is not MISSING and len(tags) < minimum:
        fields.problem("tags", _l("Give at least %(n)d tag.", n=minimum))
        return MISSING
    return tags


def check_post_like(*, title=MISSING, body=MISSING, tags=MISSING, title_required: bool = False,
                    body_required: bool = False, tags_minimum: int = 0) -> dict:
    """Validate the typed values a service was given; ``{name: clean value}`` for those given.

    Values left ``MISSING`` are not checked unless required. Raises
    ``Invalid`` (422, every problem at once) or ``BadRequest`` for a wrong
    type, exactly as a request's ``Fields`` would.
    """
    data = {name: value for name, value in (("title", title), ("body", body), ("tags", tags))
            if value is not MISSING}
    fields = Fields(data)
    clean = {}
    if title is not MISSING or title_required:
        clean["title"] = read_title(fields, required=title_required)
    if body is not MISSING or body_required:
        clean["body"] = read_body(fields, required=body_required)
    if tags is not MISSING or tags_minimum:
        clean["tags"] = read_some_tags(fields, minimum=tags_minimum, required=bool(tags_minimum))
    fields.check()
    return {name: value for name, value in clean.items() if value is not MISSING}
