"""The shared content layer: what every capability reuses instead of copying discussions."""

from __future__ import annotations

import pytest

from community.content.checks import check_post_like
from community.content.requests import form_values, json_values
from community.errors import BadRequest, Invalid
from community.validation import MISSING
from community.web import tabs


def test_tabs_come_in_their_order_with_discussions_first(app):
    names = [tab.name for tab in tabs.community_tabs()]
    assert names[0] == "discussions" and tabs.find_tab(None).name == "discussions"
    assert names.index("questions") < names.index("chat") < names.index("resources")


def test_a_capability_replaces_a_placeholder_tab_under_the_same_name(app):
    before = tabs.find_tab("resources")
    try:
        real = tabs.register_tab("resources", "Resources", order=40, template="x.html")
        assert tabs.find_tab("resources") is real and real.coming is None
        assert [t.name for t in tabs.community_tabs()].count("resources") == 1
    finally:
        tabs._TABS["resources"] = before


def test_unknown_tab_is_none(app):
    assert tabs.find_tab("nonsense") is None


@pytest.mark.parametrize(("values", "expected"), [
    ({"title": "  Twee\nregels  ", "body": "x"}, {"title": "Twee regels", "body": "x"}),
    ({"tags": ["Veiligheid", "veiligheid", "heftruck"]}, {"tags": ["veiligheid", "heftruck"]}),
    ({"tags": None}, {"tags": []}),
    ({}, {}),
])
def test_checks_clean_what_they_were_given(app, values, expected):
    with app.test_request_context():
        assert check_post_like(**values) == expected


@pytest.mark.parametrize(("values", "field"), [
    ({"title": "ab", "title_required": True}, "title"),
    ({"title": "\u200b\u200b\u200b\u200b", "title_required": True}, "title"),
    ({"body": "", "body_required": True}, "body"),
    ({"tags": [], "tags_minimum": 1}, "tags"),
    ({"tags_minimum": 1}, "tags"),
    ({"tags": ["a b"]}, "tags"),
    ({"tags": [f"t{i}" for i in range(6)]}, "tags"),
])
def test_checks_refuse_with_the_field_named(app, values, field):
    with app.test_request_context(), pytest.raises(Invalid) as refused:
        check_post_like(**values)
    assert field in refused.value.fields


def test_a_wrong_type_is_a_bad_request_not_invalid(app):
    with app.test_request_context(), pytest.raises(BadRequest):
        check_post_like(title=12, title_required=True)


def test_forms_send_strings_that_become_what_json_carries(app):
    with app.test_request_context():
        values = form_values({"title": "Hoi", "body": "", "tags": "Koude Handen, kassa", "pinned": "1",
                              "parent_id": "7"}, texts=("title", "body"), tags=("tags",),
                             booleans=("pinned", "locked"), integers=("parent_id",))
    assert values == {"title": "Hoi", "body": MISSING, "tags": ["Koude-Handen", "kassa"], "pinned": True,
                      "locked": MISSING, "parent_id": 7}


def test_json_values_need_an_object(app):
    with app.test_request_context():
        assert json_values({"body": "x"}, "body", "parent_id") == {"body": "x", "parent_id": MISSING}
        with pytest.raises(BadRequest):
            json_values(["not", "an", "object"], "body")


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_content_written_event_names_its_place_and_its_mentions(app):
    """The one mentions listener reads these of any event: a new kind that lacks one would fail there."""
    from dataclasses import fields

    from community.content.events import ContentWritten

    kinds = list(_all_subclasses(ContentWritten))
    assert {k.__name__ for k in kinds} >= {"ThreadStarted", "PostReplied", "PostEdited", "QuestionAsked",
                                           "QuestionEdited", "AnswerPosted"}
    for kind in kinds:
        names = {f.name for f in fields(kind)}
        assert {"community_id", "actor_id", "title", "mentions"} <= names, kind.__name__
        assert isinstance(getattr(kind, "url", None), property), kind.__name__
