// Votes on a question page without a reload, on top of forms that work without it:
// each vote button is a form posting to /questions/{id}/vote or /answers/{id}/vote; here the
// same value goes to the JSON API at the same path, and the score and pressed state follow.
(function () {
  "use strict";

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var page = document.querySelector(".question-page");
  if (!page) { return; }
  var api = page.getAttribute("data-api");

  function update(box, result) {
    box.querySelector(".vote__score").textContent = result.score;
    box.querySelectorAll("button[name=value]").forEach(function (button, index) {
      var value = index === 0 ? 1 : -1;
      var pressed = result.my_vote === value;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.value = pressed ? "0" : String(value);
    });
  }

  page.addEventListener("submit", function (event) {
    var form = event.target;
    var box = form.closest(".vote");
    if (!box || form.getAttribute("data-native") === "1") { return; }
    event.preventDefault();
    var button = event.submitter || form.querySelector("button[name=value]");
    function native() {  // let the page itself say why (muted, banned, your own post)
      form.setAttribute("data-native", "1");
      form.requestSubmit(button);
    }
    var path = new URL(form.action, location.href).pathname.replace(/^.*?(\/(questions|answers)\/\d+\/vote)$/, "$1");
    fetch(api + path, {method: "POST", credentials: "same-origin",
                       headers: {"X-CSRFToken": csrf, "Content-Type": "application/json", "Accept": "application/json"},
                       body: JSON.stringify({value: parseInt(button.value, 10)})})
      .then(function (response) {
        if (!response.ok) { native(); return null; }
        return response.json();
      })
      .then(function (result) { if (result) { update(box, result); } })
      .catch(native);
  });
})();
