// Buttons that act in place: a form inside an element marked data-in-place (with an id)
// is sent in the background, and that element is replaced by the same element of the page
// the server answers with. On the members page the next request then moves up to where
// the thumb already is, instead of the page reloading at its top.
// The forms work without this file: each then comes back to the member it was about.
// No inline script or style (CSP): everything hangs off data-* attributes.
(function () {
  "use strict";

  function status(region) {
    var line = region.querySelector("[data-in-place-status]");
    if (!line) {
      line = document.createElement("p");
      line.className = "visually-hidden";
      line.setAttribute("role", "status");
      line.setAttribute("data-in-place-status", "");
      region.prepend(line);
    }
    return line;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var region = form.closest && form.closest("[data-in-place]");
    if (!region || !region.id || event.defaultPrevented || form.dataset.plain) { return; }  // (data-confirm said no)
    event.preventDefault();
    var submitter = event.submitter;
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });  // one tap, one action
    // getAttribute: these forms have a field named "action", which form.action would return.
    fetch(form.getAttribute("action"), {method: "POST", body: data, credentials: "same-origin"}).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text().then(function (html) { return {html: html, url: response.url}; });
    }).then(function (answer) {
      var page = new DOMParser().parseFromString(answer.html, "text/html");
      var fresh = page.getElementById(region.id);
      var refusal = page.querySelector(".flash--error");
      if (!fresh || refusal) {  // something to read first: show the whole answer, as without this file
        document.querySelector("main").replaceWith(page.querySelector("main"));
        if (window.leerplein) { window.leerplein.localizeTimes(document.querySelector("main")); }
        window.scrollTo(0, 0);
        return;
      }
      var said = page.querySelector(".flashes");
      region.replaceWith(fresh);
      if (window.leerplein) { window.leerplein.localizeTimes(fresh); }  // (site.js: in the reader's time zone)
      var bell = page.querySelector(".notify-link"), oldBell = document.querySelector(".notify-link");
      if (bell && oldBell) { oldBell.replaceWith(bell); }  // a handled request is a notice less
      status(fresh).textContent = said ? said.textContent.trim() : "";
      // The keyboard's place: the member the form comes back to (its "next" names it).
      var next = form.querySelector('input[name="next"]');
      var row = next && next.value.indexOf("#") >= 0 && document.getElementById(next.value.split("#")[1]);
      var control = row && row.querySelector("button, summary");
      if (control) { control.focus({preventScroll: true}); }
    }).catch(function () {
      buttons.forEach(function (b) { b.disabled = false; });
      form.dataset.plain = "1";  // let the page do it the plain way
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    });
  });
})();
