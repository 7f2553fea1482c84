/* Leerplein: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Forms with data-confirm ask before they are sent (ban, leave, archive).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Copy buttons: <button data-copy="input-id" data-copied="Copied" hidden>.
  function setUpCopyButtons() {
    if (!navigator.clipboard) return;
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) return;
      var label = button.textContent;
      var status = document.querySelector("[data-copy-status]");
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          var done = button.getAttribute("data-copied") || label;
          button.textContent = done;
          if (status) status.textContent = done;
          window.setTimeout(function () { button.textContent = label; }, 2500);
        }, function () {
          field.focus();
          field.select();
        });
      });
    });
  }

  // The training dates only matter for a cohort group: hide them otherwise.
  // Hidden inputs are disabled too, so they are not sent.
  function setUpCohortDates() {
    var dates = document.querySelector("[data-cohort-dates]");
    if (!dates || !dates.form) return;
    var kinds = dates.form.querySelectorAll('input[name="kind"]');
    function update() {
      var checked = dates.form.querySelector('input[name="kind"]:checked');
      var isCohort = !checked || checked.value === "cohort";
      dates.hidden = !isCohort;
      dates.querySelectorAll("input").forEach(function (input) { input.disabled = !isCohort; });
    }
    kinds.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  // Times: the server writes moments as <time datetime="...Z"> in UTC; show
  // them in the reader's own time zone, in the page's language. Plain dates
  // (a cohort's start, "member since") have no Z and stay as written.
  function localizeTimes(root) {
    if (!window.Intl || !Intl.DateTimeFormat) return;
    var format;
    try {
      format = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
                                       {dateStyle: "medium", timeStyle: "short"});
    } catch (e) { return; }
    (root || document).querySelectorAll('time[datetime$="Z"]').forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) el.textContent = format.format(when);
    });
  }

  // Forms that create something carry a key of their own (idempotency_key):
  // the server creates once per key, whatever arrives twice. A page that the
  // Back button brings back from memory still shows the sent text with the
  // key it was sent with; such a form is emptied and gets a new key, so that
  // whatever is typed into it next is something new.
  var SENT_KEYS = "leerplein.sent-form-keys";

  function sentKeys() {
    try { return JSON.parse(window.sessionStorage.getItem(SENT_KEYS) || "[]"); } catch (e) { return []; }
  }

  function newKey() {
    var bytes = new Uint8Array(16), key = "";
    window.crypto.getRandomValues(bytes);
    for (var i = 0; i < bytes.length; i++) key += ("0" + bytes[i].toString(16)).slice(-2);
    return key;
  }

  function setUpFormKeys() {
    document.addEventListener("submit", function (event) {
      var field = event.target.querySelector && event.target.querySelector('input[name="idempotency_key"]');
      if (!field || event.defaultPrevented) return;
      try {
        window.sessionStorage.setItem(SENT_KEYS, JSON.stringify(sentKeys().concat([field.value]).slice(-50)));
      } catch (e) { /* no storage: the server still creates it once */ }
    });
    window.addEventListener("pageshow", function () {
      var sent = sentKeys();
      document.querySelectorAll('input[name="idempotency_key"]').forEach(function (field) {
        if (!field.form || sent.indexOf(field.value) < 0) return;
        field.form.reset();  // back to what the server wrote: empty, or the text of a form shown again
        field.value = newKey();
      });
    });
  }

  // A form shown again with its problems opens at the first of them, with the
  // cursor in it (the server marks it autofocus); here the cursor goes after
  // what was typed rather than before it.
  function focusFirstProblem() {
    var field = document.querySelector("[autofocus]");
    if (!field) return;
    field.focus();
    try {
      field.setSelectionRange(field.value.length, field.value.length);
    } catch (e) { /* email and number fields have no cursor position */ }
  }

  // The user menu (a <details>) closes on Escape and on a click elsewhere.
  function setUpMenus() {
    var menus = document.querySelectorAll("details.user-menu");
    document.addEventListener("click", function (event) {
      menus.forEach(function (menu) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      menus.forEach(function (menu) {
        if (menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
    });
  }

  // For scripts that put new parts into the page (in-place.js).
  window.leerplein = {localizeTimes: localizeTimes};

  setUpCopyButtons();
  setUpCohortDates();
  setUpFormKeys();
  focusFirstProblem();
  setUpMenus();
  localizeTimes();
})();
