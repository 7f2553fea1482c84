"""The Chat tab and "Ask as a question", through the pages as a browser without JavaScript sees them."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from tests.e2e.pages import csrf_token, post, text
from tests.e2e.test_resource_pages import signed_in


def test_the_chat_tab_shows_the_last_messages_and_sends_without_javascript(app, api):
    anna = api.user("anna")
    community = api.community(anna, "Magazijn")
    slug = community["slug"]
    for n in range(55):
        api.post(f"/communities/{slug}/messages", anna, json={"body": f"Bericht nummer {n}"})
    client = signed_in(app, api, anna)
    tab = text(client.get(f"/c/{slug}/chat"))
    assert "coming soon" not in tab
    assert "Bericht nummer 54" in tab and "Bericht nummer 5<" in tab and "Bericht nummer 4<" not in tab
    assert 'src="/static/js/chat.js' in tab and "socket.io.min.js" in tab
    key = re.search(r'name="idempotency_key" value="([^"]+)"', tab).group(1)
    sent = client.post(f"/c/{slug}/chat", data={"csrf_token": csrf_token(client), "idempotency_key": key,
                                                 "body": "Zonder *JavaScript*"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/c/{slug}/chat#chat-form")
    assert "<em>JavaScript</em>" in text(client.get(f"/c/{slug}/chat"))
    again = client.post(f"/c/{slug}/chat", data={"csrf_token": csrf_token(client), "idempotency_key": key,
                                                  "body": "Zonder *JavaScript*"})
    assert again.status_code == 302
    assert text(client.get(f"/c/{slug}/chat")).count("<em>JavaScript</em>") == 1


def test_a_link_to_an_old_message_opens_the_chat_around_it(app, api):
    anna = api.user("anna")
    slug = api.community(anna, "Kassa")["slug"]
    ids = [api.post(f"/communities/{slug}/messages", anna, json={"body": f"Regel {n}"}).get_json()["id"]
           for n in range(80)]
    page = text(signed_in(app, api, anna).get(f"/c/{slug}/chat?at={ids[10]}"))
    assert f'id="message-{ids[10]}"' in page and "chat-message--target" in page
    assert f'id="message-{ids[79]}"' not in page and "Go to the latest messages" in page


def test_readers_see_no_composer_and_outsiders_of_a_private_community_see_nothing(app, api):
    owner, reader, outsider = api.user("owner"), api.user("lezer"), api.user("buiten")
    public = api.community(owner, "Open")["slug"]
    private = api.community(owner, "Dicht", visibility="private")["slug"]
    api.post(f"/communities/{private}/messages", owner, json={"body": "Geheim plan"})
    tab = text(signed_in(app, api, reader).get(f"/c/{public}/chat"))
    assert "data-chat-form" not in tab and "Only active members of this community can write in it" in tab
    community = api.get(f"/communities/{public}", owner).get_json()
    api.member(community, reader, owner)
    api.patch(f"/communities/{public}/members/{reader}", owner, json={"muted_until": "2999-01-01T00:00:00Z"})
    muted = text(signed_in(app, api, reader).get(f"/c/{public}/chat"))
    assert "data-chat-form" not in muted and "You are muted until" in muted and "data-muted" in muted
    response = signed_in(app, api, outsider).get(f"/c/{private}/chat")
    assert response.status_code == 404 and "Geheim plan" not in text(response)
    refused = post(signed_in(app, api, outsider), f"/c/{private}/chat", {"body": "Hallo"})
    assert refused.status_code == 404


def test_ask_as_a_question_fills_the_question_form_from_the_message(app, api):
    anna, bram = api.user("anna"), api.user("bram")
    community = api.community(anna, "Winkel")
    slug = community["slug"]
    api.member(community, bram, anna)
    api.post(f"/communities/{slug}/questions", anna, json={
        "title": "Waar ligt de heftruck sleutel?", "body": "Kwijt.", "tags": ["heftruck", "veiligheid"]})
    message = api.post(f"/communities/{slug}/messages", bram, json={
        "body": "Hoe laad ik de heftruck op zonder lader?\nDe accu is leeg."}).get_json()
    client = signed_in(app, api, anna)
    response = client.get(f"/messages/{message['id']}/ask")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == f"/c/{slug}/questions/new"
    values = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert values["title"] == "Hoe laad ik de heftruck op zonder lader?"
    assert values["tags"] == "heftruck"
    assert values["body"].startswith("> Hoe laad ik de heftruck op zonder lader?\n> De accu is leeg.\n>\n> — @bram")
    assert f"/c/{slug}/chat?at={message['id']}#message-{message['id']}" in values["body"]
    form = text(client.get(response.headers["Location"]))
    assert "Hoe laad ik de heftruck op zonder lader?" in form and "De accu is leeg." in form
    private = api.community(anna, "Besloten", visibility="private")["slug"]
    secret = api.post(f"/communities/{private}/messages", anna, json={"body": "Alleen voor ons"}).get_json()
    outsider = signed_in(app, api, api.user("vreemde"))
    assert outsider.get(f"/messages/{secret['id']}/ask").status_code == 404
    assert outsider.get("/messages/99999999/ask").status_code == 404
