// Thread page behaviour, on top of forms that work without it:
// - "Reply" moves the one reply form under the post being answered;
// - "Preview" renders the Markdown through POST /api/v1/preview;
// - reactions are sent to the API without a reload, with a small picker;
// - a link to a post inside a folded branch opens the branch.
// Local times are site.js's job, on every page.
// No inline script or style anywhere (CSP): everything hangs off data-* attributes.
(function () {
  "use strict";

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";

  function api(root, method, path, body) {
    var options = {method: method, credentials: "same-origin",
                   headers: {"X-CSRFToken": csrf, "Accept": "application/json"}};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(root + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error((data.error && data.error.message) || response.statusText); }
        return data;
      });
    });
  }

  // Open every folded branch that holds the post the address points at.
  function revealTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    for (var el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
    target.scrollIntoView();
    target.classList.add("post--target");
  }

  // Preview for any form marked data-reply-form.
  function setUpPreview(form, apiRoot) {
    var button = form.querySelector("[data-preview]");
    var output = form.querySelector("[data-preview-output]");
    var textarea = form.querySelector("textarea[name=body]");
    if (!button || !output || !textarea) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (!output.hidden) { output.hidden = true; return; }
      api(apiRoot, "POST", "/preview", {body: textarea.value}).then(function (data) {
        output.innerHTML = data.body_html;  // sanitized by the server's one Markdown renderer
        output.hidden = false;
      }).catch(function (error) {
        output.textContent = error.message;
        output.hidden = false;
      });
    });
  }

  function setUpReplies(thread) {
    var box = document.getElementById("reply");
    if (!box) { return; }
    var home = document.createComment("reply form");
    box.parentNode.insertBefore(home, box);
    var parentField = box.querySelector("[data-parent-field]");
    var targetLine = box.querySelector("[data-reply-target]");
    var targetLink = box.querySelector("[data-reply-target-link]");
    var textarea = box.querySelector("textarea[name=body]");

    function replyTo(id) {
      var post = document.getElementById("post-" + id);
      if (!post) { return false; }
      post.after(box);
      box.classList.add("reply-box--inline");
      parentField.value = id;
      targetLink.setAttribute("href", "#post-" + id);
      targetLine.hidden = false;
      textarea.focus();
      return true;
    }

    thread.addEventListener("click", function (event) {
      var link = event.target.closest("[data-reply-to]");
      if (link && replyTo(link.getAttribute("data-reply-to"))) { event.preventDefault(); }
    });
    box.querySelector("[data-reply-cancel]").addEventListener("click", function () {
      home.after(box);
      box.classList.remove("reply-box--inline");
      parentField.value = "";
      targetLine.hidden = true;
    });
  }

  function postId(post) { return post.id.replace(/^post-/, ""); }

  // The API answers with the post's counts by emoji; which of them are the
  // reader's own is known here: what was pressed before, plus this change.
  function myReactions(post, emoji, removed) {
    var mine = [];
    post.querySelectorAll("form.reactions button.reaction[aria-pressed=true]").forEach(function (b) {
      if (b.value !== emoji) { mine.push(b.value); }
    });
    if (!removed) { mine.push(emoji); }
    return mine;
  }

  function renderReactions(post, counts, mine, apiRoot) {
    var form = post.querySelector("form.reactions");
    if (!form) {
      form = document.createElement("form");
      form.className = "reactions";
      form.method = "post";
      form.action = apiRoot.replace(/\/api\/v1$/, "") + "/posts/" + postId(post) + "/react";
      var footer = post.querySelector(".post__actions");
      footer.insertBefore(form, footer.firstChild);
    }
    form.querySelectorAll("button.reaction").forEach(function (b) { b.remove(); });
    // JSON objects come back with sorted keys: show them in the configured order, as the page does.
    var order = (post.closest(".thread").dataset.reactions || "").split(" ");
    Object.keys(counts).sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); }).forEach(function (emoji) {
      var button = document.createElement("button");
      button.type = "submit";
      button.name = "emoji";
      button.value = emoji;
      button.className = "reaction";
      button.setAttribute("aria-pressed", mine.indexOf(emoji) >= 0 ? "true" : "false");
      button.append(emoji + " ");
      var count = document.createElement("span");
      count.className = "reaction__count";
      count.textContent = counts[emoji];
      button.append(count);
      form.append(button);
    });
  }

  function sendReaction(post, emoji, remove, apiRoot) {
    var path = "/posts/" + postId(post) + "/reactions";
    var call = remove ? api(apiRoot, "DELETE", path + "?emoji=" + encodeURIComponent(emoji))
                      : api(apiRoot, "POST", path, {emoji: emoji});
    return call.then(function (counts) {
      renderReactions(post, counts, myReactions(post, emoji, remove), apiRoot);
    });
  }

  function setUpReactions(thread, apiRoot) {
    var choices = (thread.dataset.reactions || "").split(" ").filter(Boolean);
    var picker = document.createElement("div");
    picker.className = "reaction-picker";
    picker.hidden = true;
    picker.setAttribute("role", "group");
    picker.setAttribute("aria-label", thread.dataset.addReaction || "");
    choices.forEach(function (emoji) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "reaction-choice";
      button.textContent = emoji;
      button.dataset.emoji = emoji;
      picker.append(button);
    });
    var pickerPost = null;

    thread.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList.contains("reactions")) { return; }
      var button = event.submitter;
      if (!button || !button.value) { return; }
      event.preventDefault();
      sendReaction(form.closest(".post"), button.value, button.getAttribute("aria-pressed") === "true", apiRoot)
        .catch(function () { form.submit(); });  // let the server say what went wrong
    });

    thread.addEventListener("click", function (event) {
      var open = event.target.closest("[data-react]");
      if (open) {
        event.preventDefault();
        var post = open.closest(".post");
        if (pickerPost === post && !picker.hidden) { picker.hidden = true; return; }
        pickerPost = post;
        open.after(picker);
        picker.hidden = false;
        picker.querySelector("button").focus();
        return;
      }
      var choice = event.target.closest(".reaction-choice");
      if (choice && pickerPost) {
        var mine = pickerPost.querySelector('button.reaction[value="' + choice.dataset.emoji + '"][aria-pressed="true"]');
        sendReaction(pickerPost, choice.dataset.emoji, Boolean(mine), apiRoot);
        picker.hidden = true;
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { picker.hidden = true; }
    });
  }

  function start() {
    var thread = document.querySelector(".thread[data-thread-id]");
    var apiRoot = (thread || document.querySelector("[data-api]") || document.body).dataset.api || "/api/v1";
    document.querySelectorAll("form[data-reply-form]").forEach(function (form) { setUpPreview(form, apiRoot); });
    if (thread) {
      setUpReplies(thread);
      setUpReactions(thread, apiRoot);
      revealTarget();
      window.addEventListener("hashchange", revealTarget);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
