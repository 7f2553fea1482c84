"""OpenAPI description of the Q&A routes (see ``community/api/spec.py``)."""

from ..api.spec import PAGING, add_paths, add_schemas, body, error, list_of, ok, op, param, ref

_TIME = {"type": "string", "format": "date-time"}
_MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}
_TAG = {"type": "string", "pattern": "^[a-z0-9-]{1,30}$"}
_TAGS = {"type": "array", "minItems": 1, "maxItems": 5, "items": _TAG,
         "description": "1 to 5; lowercased on the way in: `Veiligheid` becomes `veiligheid`."}
_BODY = {"type": "string", "minLength": 1, "maxLength": 20000, "description": "Markdown."}
_TITLE = {"type": "string", "minLength": 3, "maxLength": 200}
_AUTHOR = {"oneOf": [ref("User"), {"type": "null"}]}
_SLUG = param("slug", "path")
_QUESTION = param("question_id", "path", {"type": "integer"})
_ANSWER = param("answer_id", "path", {"type": "integer"})
_USERNAME = param("username", "path")
_VOTE = {"type": "integer", "enum": [1, -1, 0], "description": "1 up, -1 down, 0 withdraws your vote."}
_T = "questions"
_LEVEL = {"type": "string", "enum": ["declared", "endorsed", "proven", "recognized"]}

_SUMMARY = {
    "id": {"type": "integer"}, "title": {"type": "string"}, "author": _AUTHOR, "tags": _TAGS,
    "score": {"type": "integer"}, "answer_count": {"type": "integer"},
    "accepted_answer_id": {"type": ["integer", "null"]}, "created_at": _TIME, "last_activity_at": _TIME,
    "community": {"type": "string", "description": "Its slug."},
    "url": {"type": "string", "description": "The question's HTML page, `/questions/{id}`."},
}

add_schemas({
    "QuestionSummary": {"type": "object", "properties": _SUMMARY},
    "Answer": {"type": "object", "properties": {
        "id": {"type": "integer"}, "question_id": {"type": "integer"}, "author": _AUTHOR,
        "body": {"type": "string"}, "body_html": {"type": "string"}, "score": {"type": "integer"},
        "accepted": {"type": "boolean"}, "my_vote": _VOTE, "created_at": _TIME, "edited_at": _MAYBE_TIME,
        "url": {"type": "string", "description": "`/questions/{id}#answer-{answer_id}`"}}},
    "Question": {"type": "object", "properties": {
        **_SUMMARY, "body": {"type": "string"}, "body_html": {"type": "string"}, "edited_at": _MAYBE_TIME,
        "my_vote": _VOTE,
        "experts_asked": {"type": "array", "items": {"type": "string"},
                          "description": "Usernames asked to answer so far (routing, escalation, direct)."},
        "answers": {"type": "array", "items": ref("Answer"),
                    "description": "The accepted answer first, then by score (highest first), then oldest."}}},
    "AskedQuestion": {"allOf": [ref("Question"), {"type": "object", "properties": {
        "experts_notified": {"type": "array", "items": {"type": "string"},
                             "description": "Usernames of the experts on its tags who were notified: "
                                            "best first, at most `COMMUNITY_EXPERTS_PER_QUESTION`, "
                                            "only people who may read the community, never the asker."}}}]},
    "SimilarQuestion": {"type": "object", "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "accepted_answer_id": {"type": ["integer", "null"]},
        "answer_count": {"type": "integer"}, "score": {"type": "integer"}, "created_at": _TIME,
        "url": {"type": "string"}}},
    "VoteResult": {"type": "object", "properties": {"score": {"type": "integer"}, "my_vote": _VOTE}},
    "Tag": {"type": "object", "properties": {
        "name": _TAG, "question_count": {"type": "integer", "description": "Questions the caller may read."},
        "experts": {"type": "array", "items": {"type": "string"}, "description": "Top 5 usernames, best first."}}},
    "Expert": {"type": "object", "properties": {
        "username": {"type": "string"}, "user": ref("User"), "level": _LEVEL,
        "accepted_answers": {"type": "integer"}, "endorsements": {"type": "integer"},
        "median_response_seconds": {"type": ["number", "null"],
                                    "description": "Median time from an expert request to their first "
                                                   "answer; null if never measured."},
        "last_active_at": _MAYBE_TIME}},
    "ExpertsNotified": {"type": "object", "properties": {
        "experts_notified": {"type": "array", "items": {"type": "string"}}}},
})

_RANKING = ("Best first by the one expert ranking: level (recognized, proven, endorsed, declared), "
            "accepted answers in the tag, endorsements, median response time (faster first, unknown last), "
            "most recent answer.")

add_paths({
    "/communities/{slug}/questions": {
        "get": op("Questions of a community", {**ok(200, list_of("QuestionSummary")), **error(400, 401, 404, 422)},
                  params=[_SLUG, param("tag"),
                          param("status", schema={"type": "string", "enum": ["unanswered", "answered", "accepted"]},
                                description="unanswered: no answer yet; answered: at least one; "
                                            "accepted: has an accepted answer."),
                          param("sort", schema={"type": "string", "enum": ["newest", "votes", "active"],
                                                "default": "newest"}), *PAGING], tag=_T),
        "post": op("Ask a question (active members); the best experts on its tags are notified",
                   {**ok(201, ref("AskedQuestion")), **error(400, 401, 403, 404, 422)}, params=[_SLUG], tag=_T,
                   request=body({"title": _TITLE, "body": _BODY, "tags": _TAGS}, ["title", "body", "tags"])),
    },
    "/communities/{slug}/questions/similar": {"get": op(
        "Up to 5 earlier questions like this title, best first (word overlap), before asking",
        {**ok(200, list_of("SimilarQuestion")), **error(401, 404)}, params=[_SLUG, param("title")], tag=_T)},
    "/questions/{question_id}": {
        "get": op("A question with its answers", {**ok(200, ref("Question")), **error(401, 404)},
                  params=[_QUESTION], tag=_T),
        "patch": op("Title, body or tags (the author or a moderator)",
                    {**ok(200, ref("Question")), **error(400, 401, 403, 404, 422)}, params=[_QUESTION], tag=_T,
                    request=body({"title": _TITLE, "body": _BODY, "tags": _TAGS}, [])),
    },
    "/questions/{question_id}/answers": {"post": op(
        "Answer (active members); the asker is notified", {**ok(201, ref("Answer")),
                                                           **error(400, 401, 403, 404, 422)},
        params=[_QUESTION], tag=_T, request=body({"body": _BODY}, ["body"]))},
    "/questions/{question_id}/accept": {"post": op(
        "Accept an answer, or none with `answer_id: null` (the asker or a moderator); its author is notified",
        {**ok(200, ref("Question")), **error(400, 401, 403, 404, 422)}, params=[_QUESTION], tag=_T,
        request=body({"answer_id": {"type": ["integer", "null"]}}, ["answer_id"]))},
    "/questions/{question_id}/vote": {"post": op(
        "Vote on a question: once per person, changeable, never on your own (403)",
        {**ok(200, ref("VoteResult")), **error(400, 401, 403, 404, 422)}, params=[_QUESTION], tag=_T,
        request=body({"value": _VOTE}, ["value"]))},
    "/answers/{answer_id}/vote": {"post": op(
        "Vote on an answer: once per person, changeable, never on your own (403)",
        {**ok(200, ref("VoteResult")), **error(400, 401, 403, 404, 422)}, params=[_ANSWER], tag=_T,
        request=body({"value": _VOTE}, ["value"]))},
    "/questions/{question_id}/experts": {"post": op(
        "Ask one expert on the question's tags directly (active members); 409 if asked already; "
        "422 if they are no expert on its tags or cannot read the community",
        {**ok(200, ref("ExpertsNotified")), **error(400, 401, 403, 404, 409, 422)}, params=[_QUESTION], tag=_T,
        request=body({"username": {"type": "string"}}, ["username"]))},
    "/tags": {"get": op(
        "Tags of the questions you may read, most used first, each with its top 5 experts",
        {**ok(200, list_of("Tag")), **error(400, 401, 404)},
        params=[param("community", description="A community's slug: only its questions and experts."),
                param("q", description="Tags starting with this (completion)."), *PAGING], tag=_T)},
    "/tags/{name}/experts": {"get": op(
        "Experts on a tag. " + _RANKING, {**ok(200, list_of("Expert")), **error(400, 401, 404)},
        params=[param("name", "path"),
                param("community", description="A community's slug: only experts who may read it."), *PAGING],
        tag=_T)},
    "/users/me/expertise": {"put": op(
        "Declare your expertise (level `declared`), replacing the earlier declaration; up to 20 tags",
        {**ok(200, ref("User")), **error(400, 401, 422)}, tag=_T,
        request=body({"tags": {"type": "array", "maxItems": 20, "items": _TAG}}, ["tags"]))},
    "/users/{username}/endorsements": {"post": op(
        "Endorse someone on a tag; yourself: 403 `forbidden`; the same person and tag again: 409 `conflict`",
        {**ok(201, ref("User")), **error(400, 401, 403, 404, 409, 422)}, params=[_USERNAME], tag=_T,
        request=body({"tag": _TAG}, ["tag"]))},
    "/communities/{slug}/experts/{username}": {"put": op(
        "Mark an active member a `recognized` expert on a tag, or take it back (moderators of the community)",
        {**ok(200, ref("User")), **error(400, 401, 403, 404, 422)}, params=[_SLUG, _USERNAME], tag=_T,
        request=body({"tag": _TAG, "recognized": {"type": "boolean"}}, ["tag", "recognized"]))},
})
