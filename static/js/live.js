/* Leerplein live: one Socket.IO connection per page, opened once the page has loaded.
   The bell's count rises as notifications arrive; a thread or question page shows
   new replies and answers as they are posted. chat.js shares the connection through
   window.leerplein.live(). Every page works without this file. */
(function () {
  "use strict";

  var script = document.currentScript;
  var clientUrl = script && script.getAttribute("data-client");
  var connection = null;

  function loadClient() {
    return new Promise(function (resolve, reject) {
      if (window.io) return resolve(window.io);
      var tag = document.createElement("script");
      tag.src = clientUrl;
      tag.onload = function () { resolve(window.io); };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  // The connection (a Promise of the socket): the session cookie signs it in.
  function live() {
    if (!connection) {
      connection = loadClient().then(function (io) {
        return io({transports: ["websocket", "polling"], withCredentials: true});
      });
    }
    return connection;
  }

  function bump(link) {
    var count = link.querySelector("[data-unread-count]");
    if (!count) {
      count = document.createElement("span");
      count.className = "count notify-link__count";
      count.setAttribute("data-unread-count", "0");
      link.appendChild(count);
    }
    var n = parseInt(count.getAttribute("data-unread-count"), 10) + 1;
    count.setAttribute("data-unread-count", String(n));
    count.textContent = n < 100 ? String(n) : "99+";
    var label = link.getAttribute("data-label-unread");
    if (label) link.setAttribute("aria-label", label.replace("{num}", String(n)));
  }

  // A new reply or answer: take its element from a fresh copy of this page and put it where
  // that copy has it (after the same neighbour), or at the end of the list.
  function showNew(anchorId, listSelector) {
    if (document.getElementById(anchorId)) return;
    fetch(window.location.pathname + window.location.search, {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var copy = new DOMParser().parseFromString(html, "text/html").getElementById(anchorId);
        if (!copy || document.getElementById(anchorId)) return;
        var before = copy.previousElementSibling;
        var neighbour = before && before.id && document.getElementById(before.id);
        var added = document.importNode(copy, true);
        if (neighbour) {
          neighbour.parentNode.insertBefore(added, neighbour.nextSibling);
        } else {
          var list = document.querySelector(listSelector);
          if (!list) return;
          var empty = list.querySelector(".empty-state");
          if (empty) empty.remove();
          list.appendChild(added);
        }
        added.classList.add("is-new");
        if (window.leerplein && window.leerplein.localizeTimes) window.leerplein.localizeTimes(added);
      });
  }

  function watchThisPage(socket) {
    var match = window.location.pathname.match(/\/(threads|questions)\/(\d+)$/);
    if (!match) return;
    var kind = match[1] === "threads" ? "thread" : "question";
    var id = parseInt(match[2], 10);
    var watch = {};
    watch[kind] = id;
    socket.on("connect", function () { socket.emit("watch", watch, function () {}); });
    if (socket.connected) socket.emit("watch", watch, function () {});
    socket.on("thread_post", function (data) {
      if (kind === "thread" && data.thread_id === id) showNew("post-" + data.id, ".posts");
    });
    socket.on("answer", function (data) {
      if (kind === "question" && data.question_id === id) showNew("answer-" + data.id, ".answers");
    });
  }

  // Going to another page closes the connection cleanly, so the browser can keep this one in
  // memory (its back-forward cache); coming back opens it again, and chat.js catches up.
  function keepInMemory(socket) {
    window.addEventListener("pagehide", function (event) { if (event.persisted) socket.disconnect(); });
    window.addEventListener("pageshow", function (event) { if (event.persisted) socket.connect(); });
  }

  function start() {
    var link = document.querySelector(".notify-link");
    if (!link || !clientUrl) return;  // signed out: nothing live
    live().then(function (socket) {
      socket.on("notification", function () { bump(link); });
      watchThisPage(socket);
      keepInMemory(socket);
    });
  }

  window.leerplein = window.leerplein || {};
  window.leerplein.live = live;
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
