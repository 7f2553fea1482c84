/* The Chat tab, live: join the room, show messages as they arrive, who is online and
   who is typing; Enter sends. A message written while offline waits on this device
   (localStorage) and is sent once the connection is back, exactly once: its client_id
   makes the server store it once however often it is sent. After a reconnect the tab
   catches up on everything it missed, in order, without duplicates. */
(function () {
  "use strict";

  var panel = document.querySelector("[data-chat]");
  if (!panel || !window.leerplein || !window.leerplein.live) return;

  var slug = panel.getAttribute("data-community");
  var me = panel.getAttribute("data-me");
  var moderator = panel.getAttribute("data-moderator") === "1";
  var askUrl = panel.getAttribute("data-ask-url");
  var flagUrl = panel.getAttribute("data-flag-url");
  var words = JSON.parse(panel.getAttribute("data-words"));
  var list = panel.querySelector("[data-messages]");
  var form = panel.querySelector("[data-chat-form]");
  var field = form && form.querySelector("textarea");
  var status = panel.querySelector("[data-chat-status]");
  var onlineLine = panel.querySelector("[data-online]");
  var typingLine = panel.querySelector("[data-typing]");
  var atLatest = !/[?&]at=/.test(window.location.search);
  var PENDING = "leerplein.chat-pending." + slug;
  var typers = {};
  var lastTyping = 0;

  function lastId() {
    var items = list.querySelectorAll("li[data-id]");
    return items.length ? parseInt(items[items.length - 1].getAttribute("data-id"), 10) : 0;
  }

  function say(text) {
    status.textContent = text || "";
    status.hidden = !text;
  }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function render(message) {
    var item = el("li", "chat-message");
    item.id = "message-" + message.id;
    item.setAttribute("data-id", message.id);
    var meta = el("p", "chat-message__meta");
    if (message.author) {
      item.setAttribute("data-author", message.author.username);
      var who = el("a", "chat-message__author", message.author.name || message.author.username);
      who.href = "/u/" + encodeURIComponent(message.author.username);
      meta.appendChild(who);
    } else {
      meta.appendChild(el("span", "chat-message__author", words.removed));
    }
    meta.appendChild(document.createTextNode(" "));
    var when = el("time", "", message.created_at);
    when.setAttribute("datetime", message.created_at);
    meta.appendChild(when);
    item.appendChild(meta);
    var body = el("div", "chat-message__body");
    body.innerHTML = message.body_html;  // rendered and sanitized by the server's one renderer
    item.appendChild(body);
    var actions = el("p", "chat-message__actions");
    var ask = el("a", "", words.ask);
    ask.href = askUrl.replace(/\/0\/ask$/, "/" + message.id + "/ask");
    actions.appendChild(ask);
    if (!message.author || message.author.username !== me) {
      var flag = el("a", "", words.flag);
      flag.href = flagUrl.replace(/\/0$/, "/" + message.id);
      flag.rel = "nofollow";
      actions.appendChild(document.createTextNode(" "));
      actions.appendChild(flag);
    }
    if (moderator || (message.author && message.author.username === me)) {
      var remove = el("button", "link-button", words["delete"]);
      remove.type = "button";
      remove.setAttribute("data-delete-message", "");
      actions.appendChild(document.createTextNode(" "));
      actions.appendChild(remove);
    }
    item.appendChild(actions);
    if (window.leerplein.localizeTimes) window.leerplein.localizeTimes(item);
    return item;
  }

  // Add messages in id order, each once (a catch-up may repeat what a broadcast brought).
  function add(messages) {
    var nearBottom = window.innerHeight + window.scrollY >= document.body.offsetHeight - 120;
    messages.forEach(function (message) {
      if (message.deleted || document.getElementById("message-" + message.id)) return;
      var node = render(message);
      var items = list.querySelectorAll("li[data-id]");
      var before = null;
      for (var i = items.length - 1; i >= 0; i--) {
        if (parseInt(items[i].getAttribute("data-id"), 10) < message.id) break;
        before = items[i];
      }
      list.insertBefore(node, before);
      if (message.client_id) {
        var waiting = list.querySelector('[data-client-id="' + CSS.escape(message.client_id) + '"]');
        if (waiting) waiting.remove();
      }
      var empty = panel.querySelector("[data-chat-empty]");
      if (empty) empty.remove();
    });
    if (nearBottom && messages.length && atLatest) list.lastElementChild.scrollIntoView({block: "end"});
  }

  // A busy room shows its first few names and how many more: a phone has no room for 500.
  function showOnline(names) {
    var shown = names.slice(0, 8).join(", ");
    if (names.length > 8) shown += " " + words.more.replace("{count}", String(names.length - 8));
    onlineLine.textContent = names.length ? words.online + " (" + names.length + "): " + shown : "";
  }

  function showTyping() {
    var now = Date.now();
    var names = Object.keys(typers).filter(function (name) { return typers[name] > now; });
    typingLine.textContent = names.length === 1 ? words.typing_one.replace("{name}", names[0])
      : names.length > 1 ? words.typing_many : "";
  }

  // Drafts waiting to be sent, kept across a reload or a dead battery.
  function pending() {
    try { return JSON.parse(window.localStorage.getItem(PENDING) || "[]"); } catch (e) { return []; }
  }

  function keep(drafts) {
    try { window.localStorage.setItem(PENDING, JSON.stringify(drafts)); } catch (e) { /* memory only */ }
  }

  function showWaiting(draft, problem) {
    var item = list.querySelector('[data-client-id="' + CSS.escape(draft.client_id) + '"]');
    if (!item) {
      item = el("li", "chat-message chat-message--waiting");
      item.setAttribute("data-client-id", draft.client_id);
      item.appendChild(el("p", "chat-message__meta", words.sending));
      item.appendChild(el("div", "chat-message__body", draft.body));
      list.appendChild(item);
    }
    if (problem) {
      item.classList.add("chat-message--failed");
      item.firstChild.textContent = words.failed + " " + (words[problem] || problem);
    }
  }

  function send(socket, draft) {
    showWaiting(draft);
    if (!socket.connected) return;  // sent by flush() once connected
    socket.timeout(15000).emit("message", {community: slug, body: draft.body, client_id: draft.client_id},
      function (timedOut, ack) {
        if (timedOut) return;  // still pending: the next connect sends it again, stored once
        keep(pending().filter(function (d) { return d.client_id !== draft.client_id; }));
        if (ack && ack.ok) add([ack.message]);
        else showWaiting(draft, ack && ack.error);  // refused: stays visible with the reason
      });
  }

  function flush(socket) {
    pending().forEach(function (draft) { send(socket, draft); });
  }

  // Everything after ``since``, 500 at a time (the server's most per call), in order.
  function catchUp(socket, since) {
    socket.emit("catch_up", {community: slug, after: since}, function (more) {
      if (!more || !more.ok) return;
      add(more.messages);
      if (more.messages.length >= 500) catchUp(socket, more.messages[more.messages.length - 1].id);
    });
  }

  function join(socket) {
    var since = lastId();
    socket.emit("join", {community: slug}, function (ack) {
      if (!ack || !ack.ok) { say(words[ack && ack.error] || words.left); return; }
      say("");
      if (atLatest) add(ack.history);
      showOnline(ack.online);
      if (since && atLatest) catchUp(socket, since);
      flush(socket);
    });
  }

  window.leerplein.live().then(function (socket) {
    socket.on("connect", function () { join(socket); });
    if (socket.connected) join(socket);
    socket.on("disconnect", function () { say(words.offline); });
    socket.on("message", function (message) {
      if (message.community === slug && atLatest) add([message]);
    });
    socket.on("message_deleted", function (data) {
      var item = data.community === slug && document.getElementById("message-" + data.id);
      if (item) item.remove();
    });
    socket.on("presence", function (data) { if (data.community === slug) showOnline(data.online); });
    socket.on("typing", function (data) {
      if (data.community !== slug) return;
      typers[data.username] = Date.now() + 4000;
      showTyping();
      window.setTimeout(showTyping, 4100);
    });
    socket.on("left", function (data) {
      if (data.community !== slug) return;
      say(words.left);
      if (form) form.hidden = true;
    });

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-delete-message]");
      if (!button || !window.confirm(words.confirm_delete)) return;
      var item = button.closest("li[data-id]");
      var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
      fetch(panel.getAttribute("data-api") + "/messages/" + item.getAttribute("data-id"), {
        method: "DELETE", credentials: "same-origin", headers: {"X-CSRFToken": token}
      }).then(function (response) { if (response.ok) item.remove(); });
    });

    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = field.value;
      if (!body.trim()) return;
      var draft = {body: body, client_id: newClientId()};
      keep(pending().concat([draft]));
      field.value = "";
      send(socket, draft);
    });
    var touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !touch) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", {cancelable: true}));
      }
    });
    field.addEventListener("input", function () {
      if (Date.now() - lastTyping > 3000 && socket.connected) {
        lastTyping = Date.now();
        socket.emit("typing", {community: slug});
      }
    });
  });
})();
