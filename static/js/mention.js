// Completing @mentions, on top of a textarea that works without it.
// In a textarea marked data-mention-community="<slug>", typing "@an" lists the
// community's members whose username holds "an" (GET /api/v1/communities/<slug>/members,
// same-origin with the session cookie). Up and down arrows move through the
// list, Enter picks, Escape closes; a tap picks too. Picking writes "@username ".
// The textarea keeps the focus throughout: aria-activedescendant names the
// highlighted option, and a status line announces how many were found.
// No inline script or style anywhere (CSP).
(function () {
  "use strict";

  // The "@name" just before the caret. As on the server (community/markup.py,
  // MENTION_RE), an @ right after a letter, dot or slash (an email address, a
  // URL) starts no mention.
  var TYPED = /(^|[^\p{L}\p{N}_@.\/+-])@([A-Za-z0-9_-]{1,30})$/u;
  var NAME_CHAR = /[A-Za-z0-9_-]/;
  var LIMIT = 8;
  var WAIT_MS = 150;
  var made = 0;

  function apiRoot(textarea) {
    var holder = textarea.closest("[data-api]");
    return (holder && holder.dataset.api) || "/api/v1";
  }

  function setUp(textarea) {
    var slug = textarea.dataset.mentionCommunity;
    var id = "mention-" + (++made);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mention-list";
    list.hidden = true;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", textarea.dataset.mentionLabel || "@");
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    textarea.after(list, status);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", id);

    var found = {};      // lowercased text typed after @ -> users
    var asked = 0;       // number of the latest look-up; slower earlier answers are dropped
    var timer = null;
    var typed = null;    // {start, end, text}: the "@name" being completed
    var dismissed = -1;  // where the @ was when Escape closed the list
    var users = [];
    var active = -1;

    function typedAtCaret() {
      var end = textarea.selectionStart;
      if (end !== textarea.selectionEnd || NAME_CHAR.test(textarea.value.charAt(end))) { return null; }
      var match = TYPED.exec(textarea.value.slice(0, end));
      return match ? {start: end - match[2].length - 1, end: end, text: match[2]} : null;
    }

    function close() {
      window.clearTimeout(timer);
      asked += 1;
      list.hidden = true;
      list.textContent = "";
      status.textContent = "";
      users = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      textarea.setAttribute("aria-activedescendant", id + "-" + index);
      list.children[index].scrollIntoView({block: "nearest"});
    }

    function show(matches) {
      close();
      if (!matches.length) { return; }
      users = matches;
      matches.forEach(function (user, i) {
        var item = document.createElement("li");
        item.id = id + "-" + i;
        item.className = "mention-option";
        item.setAttribute("role", "option");
        item.dataset.index = String(i);
        var handle = document.createElement("span");
        handle.className = "mention-option__handle";
        handle.textContent = "@" + user.username;
        item.append(handle);
        if (user.display_name && user.display_name !== user.username) {
          var name = document.createElement("span");
          name.className = "mention-option__name";
          name.textContent = user.display_name;
          item.append(name);
        }
        list.append(item);
      });
      list.hidden = false;
      highlight(0);
      status.textContent = (textarea.dataset.mentionFound || "{count}").replace("{count}", String(matches.length));
    }

    // Usernames starting with what was typed first, then those that only contain it.
    function ranked(all, text) {
      var key = text.toLowerCase();
      var holding = all.filter(function (user) { return user.username.toLowerCase().indexOf(key) >= 0; });
      return holding.filter(function (user) { return user.username.toLowerCase().indexOf(key) === 0; })
        .concat(holding.filter(function (user) { return user.username.toLowerCase().indexOf(key) > 0; }));
    }

    function members(text) {
      var key = text.toLowerCase();
      if (found[key]) { return Promise.resolve(found[key]); }
      var url = apiRoot(textarea) + "/communities/" + encodeURIComponent(slug) + "/members?limit=" + LIMIT +
                "&q=" + encodeURIComponent(key);
      return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error(response.statusText); }
          return response.json();
        })
        .then(function (data) {
          found[key] = (data.items || []).map(function (membership) { return membership.user; }).filter(Boolean);
          return found[key];
        });
    }

    function lookUp() {
      typed = typedAtCaret();
      if (!typed || typed.start === dismissed) { close(); return; }
      var number = ++asked;
      var text = typed.text;
      members(text).then(function (all) {
        if (number === asked) { show(ranked(all, text)); }
      }).catch(close);
    }

    function choose(index) {
      var user = users[index];
      if (!user || !typed) { return; }
      var rest = textarea.value.slice(typed.end);
      var insert = "@" + user.username + (rest.charAt(0) === " " ? "" : " ");
      textarea.setRangeText(insert, typed.start, typed.end, "end");
      if (rest.charAt(0) === " ") { textarea.setSelectionRange(typed.start + insert.length + 1, typed.start + insert.length + 1); }
      close();
      textarea.focus();
      textarea.dispatchEvent(new Event("input", {bubbles: true}));
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, WAIT_MS);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : users.length - 1;
        highlight((active + step) % users.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        dismissed = typed ? typed.start : -1;
        close();
      } else if (event.key === "ArrowLeft" || event.key === "ArrowRight" || event.key === "Home" || event.key === "End") {
        close();
      }
    });
    textarea.addEventListener("blur", close);
    textarea.addEventListener("click", function () { if (!list.hidden && !typedAtCaret()) { close(); } });
    // Keep the focus (and a phone's keyboard) in the textarea while an option is tapped.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var item = event.target.closest(".mention-option");
      if (item) { choose(Number(item.dataset.index)); }
    });
  }

  function start() {
    document.querySelectorAll("textarea[data-mention-community]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
