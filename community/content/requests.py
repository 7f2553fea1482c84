"""The doors' half of validation: a request's values, by type, for a service's typed arguments.

The JSON API hands values over as sent (the service's checks refuse a
wrong type with 400 ``bad_request``); an HTML form sends only strings, so
``form_values`` turns them into what JSON would have carried: tags typed
with commas become a list, checkboxes booleans, numbers integers, and an
empty field is "not sent". The services then decide on lengths, limits and
rules the same way for both doors.
"""

from __future__ import annotations

from ..validation import MISSING, Fields
from .tags import typed_tags


def json_values(data, *names: str) -> dict:
    """``{name: value or MISSING}`` for ``names`` from a JSON body (a non-object: 400)."""
    Fields(data)  # the body must be an object
    return {name: data.get(name, MISSING) for name in names}


def form_values(form: dict, *, texts: tuple[str, ...] = (), integers: tuple[str, ...] = (),
                booleans: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> dict:
    """``{name: typed value or MISSING}`` from a submitted form (strings only).

    An emptied tags field clears the tags (``[]``); any other empty field
    counts as not sent. A number that is not one is the form's 422.
    """
    fields = Fields(form, from_form=True)
    values = {name: form[name] if fields.present(name) else MISSING for name in texts}
    values.update({name: fields.integer(name, nullable=True) for name in integers})
    values.update({name: fields.boolean(name) for name in booleans})
    values.update({name: typed_tags(form[name]) if name in form else MISSING for name in tags})
    fields.check()
    return values
