// Asking a question, on top of a form that works without it:
// - while the title is typed, earlier questions like it are listed (GET .../questions/similar),
//   with the accepted ones marked, so one can be opened instead of asking again;
// - the tags used in the community are buttons that add themselves to the tags field.
// No inline script or style anywhere (CSP): everything hangs off data-* attributes.
(function () {
  "use strict";

  function setUpSimilar(form) {
    var title = form.querySelector("[data-similar]");
    var box = form.querySelector("[data-similar-list]");
    var slug = form.getAttribute("data-community");
    if (!title || !box || !slug) { return; }
    var list = box.querySelector("ul");
    var api = form.getAttribute("data-api");
    var acceptedLabel = form.getAttribute("data-accepted-label");
    var answersLabel = form.getAttribute("data-answers-label");
    var timer = null, asked = "";

    function show(items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "similar__item" + (item.accepted_answer_id ? " similar__item--accepted" : "");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.title;
        li.appendChild(link);
        var meta = document.createElement("span");
        meta.className = "similar__meta muted";
        meta.textContent = item.accepted_answer_id ? "✓ " + acceptedLabel
                                                  : answersLabel.replace("{count}", item.answer_count);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(meta);
        list.appendChild(li);
      });
      box.hidden = items.length === 0;
    }

    function look() {
      var text = title.value.trim();
      if (text === asked) { return; }
      asked = text;
      if (text.length < 3) { show([]); return; }
      fetch(api + "/communities/" + encodeURIComponent(slug) + "/questions/similar?title=" +
            encodeURIComponent(text), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {items: []}; })
        .then(function (data) { if (title.value.trim() === text) { show(data.items || []); } })
        .catch(function () { /* offline: asking still works */ });
    }

    title.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(look, 250);
    });
    if (title.value.trim()) { look(); }
  }

  function setUpTagButtons(form) {
    var field = form.querySelector("[data-tags]");
    if (!field) { return; }
    form.querySelectorAll("[data-add-tag]").forEach(function (button) {
      button.addEventListener("click", function () {
        var tag = button.getAttribute("data-add-tag");
        var tags = field.value.split(",").map(function (t) { return t.trim(); }).filter(Boolean);
        if (tags.indexOf(tag) < 0) { tags.push(tag); }
        field.value = tags.join(", ");
        field.focus();
      });
    });
  }

  document.querySelectorAll(".ask-form").forEach(function (form) {
    setUpSimilar(form);
    setUpTagButtons(form);
  });
})();
