// socialhub's small client module. No inline scripts anywhere (the CSP forbids them).
(function () {
  "use strict";
  var MENUS = "details.usermenu[open], details.menu[open]";

  // Close the account menu and the small action menus when clicking elsewhere or pressing Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll(MENUS).forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(MENUS).forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  // --- Feeds (htmx) ----------------------------------------------------------------------

  // A form fragment sent back with an error (400/403, marked X-Fragment: error) replaces the
  // form, so the message shows where the user is looking. Other errors are not swapped.
  //
  // With DEBUG on, django-htmx's debug script (listening on the document) replaces the whole
  // page with any 400/403/404/500 response, which loses what was typed. A 4xx is an answer
  // for the person, not a crash: caught here first (capture phase, on the window), it never
  // reaches that script. 5xx still shows Django's debug page in development.
  window.addEventListener("htmx:beforeOnLoad", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (status >= 400 && status < 500) event.stopPropagation();
  }, true);

  // An error without a fragment of its own (a 404 for a post deleted meanwhile, a refusal
  // page, a server error): say so beside the form, leave the form and its text as they are.
  var FALLBACK = {
    400: "That request was not valid.",
    403: "You are not allowed to do that.",
    404: "That is no longer there.",
    413: "That is too large to send.",
  };
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.getResponseHeader("X-Fragment") === "error") return;
    var elt = event.detail.elt;
    if (!elt || !elt.parentNode) return;
    var form = elt.closest ? elt.closest("form") : null;
    // In a form: at its top. A lone button or link: right after it.
    var note = form ? form.querySelector(":scope > .htmx-error") : elt.nextElementSibling;
    if (!note || !note.classList.contains("htmx-error")) {
      note = document.createElement("p");
      note.className = "errorlist htmx-error";
      note.setAttribute("role", "alert");
      if (form) form.insertBefore(note, form.firstChild);
      else elt.insertAdjacentElement("afterend", note);
    }
    note.textContent = (FALLBACK[xhr.status] || "Something went wrong. Please try again in a moment.") +
      (form && form.querySelector("textarea") ? " Your text is still here." : "");
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.getResponseHeader("X-Fragment") === "error") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The compose box empties itself once its post is up.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.matches && form.matches("form[data-reset-on-success]") && event.detail.successful) {
      form.reset();
    }
  });

  // Name suggestions for an input with a <datalist>: data-suggest="/people/suggest/".
  var timers = new WeakMap();
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-suggest][list]")) return;
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () {
      var list = document.getElementById(input.getAttribute("list"));
      var prefix = input.value.trim().replace(/^@/, "");
      if (!list) return;
      if (!prefix) { list.innerHTML = ""; return; }
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(prefix), {
        credentials: "same-origin",
        headers: { "HX-Request": "true" },
      })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { list.innerHTML = html; })
        .catch(function () {});
    }, 200));
  });

  // A suggested text (a holding statement) fills its form's text box: data-fill-text="...";
  // with data-fill-into="<id>", the text box of that id anywhere on the page (a knowledge
  // entry starting an answer or a reply).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-fill-text]") : null;
    if (!button) return;
    var textarea;
    if (button.dataset.fillInto) {
      textarea = document.getElementById(button.dataset.fillInto);
    } else {
      var form = button.closest("form");
      textarea = form && form.querySelector("textarea[name=text]");
    }
    if (!textarea) return;
    textarea.value = button.dataset.fillText;
    textarea.focus();
  });

  // A link to a comment made before the post's page showed its comments a page at a time
  // ("/posts/7/#comment-42", kept in older notifications) opens the page of that comment's
  // thread when the comment is not on the latest page.
  var wanted = /^#comment-(\d+)$/.exec(location.hash);
  if (wanted && document.getElementById("thread") && !document.getElementById("comment-" + wanted[1]) &&
      !new URLSearchParams(location.search).has("comment")) {
    location.replace(location.pathname + "?comment=" + wanted[1] + location.hash);
  }
})();
