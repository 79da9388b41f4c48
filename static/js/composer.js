// The composer: what the post and comment boxes do as people type. No inline scripts (CSP).
//
// - Enter in a one-line field of a form with a text never sends it; Ctrl/Cmd+Enter in the text does.
// - "@" or "#" and a letter in a text[data-suggest-people] suggests people or topics
//   (a listbox the text points at with aria-controls / aria-activedescendant).
// - Drafts (textarea[data-draft]) are kept on this device until they are published.
// - Write / Preview tabs, pictures shown before they are sent, and a deliberate audience.
(function () {
  "use strict";

  // --- Nothing but the button (and Ctrl/Cmd+Enter in the text) sends a text ----------------

  var NOT_TEXT = /^(button|submit|reset|image|file)$/;

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var field = event.target;
    if (field.tagName === "INPUT" && !NOT_TEXT.test(field.type) && field.form &&
        field.form.querySelector("textarea")) {
      event.preventDefault();  // a browser would otherwise submit the form ("implicit submission")
      return;
    }
    if (field.tagName === "TEXTAREA" && (event.ctrlKey || event.metaKey) && field.form &&
        !suggestionsOpen(field)) {
      event.preventDefault();
      if (field.form.requestSubmit) field.form.requestSubmit();
    }
  }, true);

  // --- A deliberate audience: "Choose where to post" until someone chooses ---------------

  var REMEMBER = "socialhub:";

  function store(key, value) {
    try {
      if (value) localStorage.setItem(REMEMBER + key, value);
      else localStorage.removeItem(REMEMBER + key);
    } catch (e) { /* private mode or full: drafts are a convenience */ }
  }

  function stored(key) {
    try { return localStorage.getItem(REMEMBER + key); } catch (e) { return null; }
  }

  function audienceError(select, show) {
    var error = document.getElementById(select.id + "-error");
    if (show) {
      select.setAttribute("aria-invalid", "true");
      select.setAttribute("aria-describedby", select.id + "-error");
    } else {
      select.removeAttribute("aria-invalid");
    }
    if (error) error.hidden = !show;
  }

  function rememberedAudience(root) {
    root.querySelectorAll("select[data-remember]").forEach(function (select) {
      var value = stored(select.dataset.remember);
      if (select.value || !value) return;
      if (select.querySelector('option[value="' + CSS.escape(value) + '"]')) select.value = value;
    });
  }

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-remember]") && select.value) {
      audienceError(select, false);
    }
  });

  // Capture phase on the document: runs before htmx's own submit listener on the form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var select = form.querySelector("select[data-remember]");
    if (select && !select.value) {
      event.preventDefault();
      event.stopPropagation();
      audienceError(select, true);
      select.focus();
      return;
    }
    if (!form.hasAttribute("hx-post")) forgetDrafts(form);  // a full page post: the server has it
  }, true);

  // --- Drafts survive an error, a reload and a lost connection ----------------------------

  function draftKey(textarea) {
    return "draft:" + location.pathname + "#" + textarea.id;
  }

  function restoreDrafts(root) {
    root.querySelectorAll("textarea[data-draft]").forEach(function (textarea) {
      var draft = stored(draftKey(textarea));
      if (draft && textarea.value === textarea.defaultValue && draft !== textarea.value) {
        textarea.value = draft;
        var details = textarea.closest("details");
        if (details) details.open = true;
      }
    });
  }

  function forgetDrafts(form) {
    form.querySelectorAll("textarea[data-draft]").forEach(function (textarea) {
      store(draftKey(textarea), "");
    });
  }

  document.addEventListener("input", function (event) {
    var textarea = event.target;
    if (textarea.matches && textarea.matches("textarea[data-draft]")) {
      store(draftKey(textarea), textarea.value.trim() ? textarea.value : "");
    }
  });

  // A draft being sent leaves storage while its request is in flight: the live update of
  // what it publishes can arrive (and be swapped in, restoring drafts) before the answer
  // does. It comes back if the request fails.
  var sending = {};

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var select = elt && elt.querySelector && elt.querySelector("select[data-remember]");
    if (select) select.dataset.sent = select.value;
    if (elt && elt.matches && elt.matches("form")) {
      elt.querySelectorAll("textarea[data-draft]").forEach(function (textarea) {
        var key = draftKey(textarea);
        var draft = stored(key);
        if (draft) { sending[key] = draft; store(key, ""); }
      });
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("form")) return;
    form.querySelectorAll("textarea[data-draft]").forEach(function (textarea) {
      var key = draftKey(textarea);
      if (!event.detail.successful && sending[key] && !stored(key)) store(key, sending[key]);
      delete sending[key];
    });
    if (!event.detail.successful) return;
    forgetDrafts(form);
    var select = form.querySelector("select[data-remember]");
    var chosen = select && select.dataset.sent;
    if (chosen) {
      // Chosen and posted to: the choice for next time. socialhub.js resets the form
      // (maybe before this runs), so the choice is put back after it.
      store(select.dataset.remember, chosen);
      setTimeout(function () { select.value = chosen; }, 0);
    }
    var previews = form.querySelector(".file-previews");
    if (previews) { previews.innerHTML = ""; previews.hidden = true; }
    var write = form.querySelector('[role="tab"][aria-controls$="-write"]');
    if (write) selectTab(write);
  });

  // The request never reached the server (offline, server restarting): say so, keep the text.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    if (!form || !form.querySelector("textarea")) return;
    var note = form.querySelector(":scope > .htmx-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "errorlist htmx-error";
      note.setAttribute("role", "alert");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = "Could not reach socialhub. Your text is still here (and kept on this " +
      "device): send it again when you are back online.";
  });

  // --- "@" people and "#" topics, as people type -----------------------------------------

  var TRIGGER = /(^|[^\w@/#&])([@#])([\w.+-]{1,50})$/;
  var state = new WeakMap();

  function suggestionsOpen(textarea) {
    var s = state.get(textarea);
    return !!(s && !s.list.hidden);
  }

  function setUp(textarea) {
    var s = state.get(textarea);
    if (s) return s;
    var list = document.createElement("ul");
    list.id = textarea.id + "-suggestions";
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    textarea.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) pick(textarea, option);
    });
    s = { list: list, status: status, timer: null, seq: 0, token: null, active: -1 };
    state.set(textarea, s);
    return s;
  }

  function close(textarea) {
    var s = state.get(textarea);
    if (!s) return;
    s.seq += 1;  // a response still on its way is no longer wanted
    s.list.hidden = true;
    s.list.innerHTML = "";
    s.active = -1;
    s.token = null;
    textarea.removeAttribute("aria-activedescendant");
  }

  function options(s) {
    return Array.prototype.slice.call(s.list.querySelectorAll('[role="option"]'));
  }

  function activate(textarea, index) {
    var s = state.get(textarea);
    var all = options(s);
    if (!all.length) return;
    s.active = (index + all.length) % all.length;
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === s.active ? "true" : "false");
    });
    textarea.setAttribute("aria-activedescendant", all[s.active].id);
    all[s.active].scrollIntoView({ block: "nearest" });
  }

  function place(textarea, list) {
    var box = textarea.getBoundingClientRect();
    var below = window.innerHeight - box.bottom;
    list.style.left = Math.max(8, box.left) + "px";
    list.style.width = Math.min(box.width, 380) + "px";
    if (below < 220 && box.top > below) {
      list.style.top = "";
      list.style.bottom = (window.innerHeight - box.top + 4) + "px";
    } else {
      list.style.bottom = "";
      list.style.top = (box.bottom + 4) + "px";
    }
  }

  function suggest(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = TRIGGER.exec(before);
    if (!match || textarea.selectionStart !== textarea.selectionEnd) { close(textarea); return; }
    var s = setUp(textarea);
    var people = match[2] === "@";
    var url = people ? textarea.dataset.suggestPeople : textarea.dataset.suggestTopics;
    if (!url) return;
    s.token = { mark: match[2], start: before.length - match[3].length - 1, end: before.length };
    var seq = ++s.seq;
    clearTimeout(s.timer);
    s.timer = setTimeout(function () {
      var query = (people ? "?as=listbox&q=" : "?q=") + encodeURIComponent(match[3]);
      fetch(url + query, { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (seq !== s.seq) return;
          s.list.innerHTML = html;
          var all = options(s);
          if (!all.length) { close(textarea); s.status.textContent = ""; return; }
          s.list.setAttribute("aria-label", people ? "People to mention" : "Topics");
          all.forEach(function (option, i) { option.id = s.list.id + "-" + i; });
          place(textarea, s.list);
          s.list.hidden = false;
          activate(textarea, 0);
          var n = all.length;
          s.status.textContent = n + (people ? (n === 1 ? " person" : " people") :
            (n === 1 ? " topic" : " topics")) + " found: arrow keys to choose, Enter to pick.";
        })
        .catch(function () { close(textarea); });
    }, 120);
  }

  function pick(textarea, option) {
    var s = state.get(textarea);
    if (!s || !s.token) return;
    var text = s.token.mark + option.dataset.insert + " ";
    var value = textarea.value;
    var after = value.slice(s.token.end).replace(/^[\w.+-]*/, "");  // the rest of the word
    textarea.value = value.slice(0, s.token.start) + text + after.replace(/^ /, "");
    var caret = s.token.start + text.length;
    close(textarea);
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));  // the draft keeps it
  }

  document.addEventListener("input", function (event) {
    var textarea = event.target;
    if (textarea.matches && textarea.matches("textarea[data-suggest-people]")) suggest(textarea);
  });

  document.addEventListener("keydown", function (event) {
    var textarea = event.target;
    if (!textarea.matches || !textarea.matches("textarea") || !suggestionsOpen(textarea)) return;
    var s = state.get(textarea);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      activate(textarea, s.active + (event.key === "ArrowDown" ? 1 : -1));
    } else if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey) {
      var option = options(s)[s.active];
      if (!option) return;
      event.preventDefault();
      event.stopPropagation();
      pick(textarea, option);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close(textarea);
    }
  });

  document.addEventListener("focusout", function (event) {
    var textarea = event.target;
    if (textarea.matches && textarea.matches("textarea") && state.get(textarea)) close(textarea);
  });

  // Caret moved by a click or the arrow keys: the suggestions follow what is before it.
  document.addEventListener("click", function (event) {
    var textarea = event.target;
    if (textarea.matches && textarea.matches("textarea[data-suggest-people]")) suggest(textarea);
  });

  // --- Write / Preview -------------------------------------------------------------------

  function selectTab(tab) {
    var tablist = tab.closest('[role="tablist"]');
    tablist.querySelectorAll('[role="tab"]').forEach(function (other) {
      var on = other === tab;
      other.setAttribute("aria-selected", on ? "true" : "false");
      other.tabIndex = on ? 0 : -1;
      var panel = document.getElementById(other.getAttribute("aria-controls"));
      if (panel) panel.hidden = !on;
    });
  }

  function showPreview(tab) {
    var form = tab.closest("form");
    var panel = document.getElementById(tab.getAttribute("aria-controls"));
    var textarea = form.querySelector("textarea");
    var token = form.querySelector('input[name="csrfmiddlewaretoken"]');
    var data = new FormData();
    data.append("body", textarea.value);
    panel.innerHTML = '<p class="muted">Rendering…</p>';
    selectTab(tab);
    fetch(tab.dataset.previewUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "HX-Request": "true" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) { panel.innerHTML = html; })
      .catch(function () {
        panel.innerHTML = "";
        var note = document.createElement("p");
        note.className = "errorlist";
        note.textContent = "The preview could not be shown just now. Your text is unchanged.";
        panel.appendChild(note);
      });
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest && event.target.closest('.compose-tabs [role="tab"]');
    if (!tab) return;
    if (tab.dataset.previewUrl) {
      showPreview(tab);
    } else {
      selectTab(tab);
      var panel = document.getElementById(tab.getAttribute("aria-controls"));
      var textarea = panel && panel.querySelector("textarea");
      if (textarea) textarea.focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest('.compose-tabs [role="tab"]');
    if (!tab || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
    var tabs = Array.prototype.slice.call(tab.parentNode.querySelectorAll('[role="tab"]'));
    var next = tabs[(tabs.indexOf(tab) + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) %
      tabs.length];
    next.focus();
    next.click();
  });

  // --- Pictures (and file names) shown before they are sent ------------------------------

  function size(bytes) {
    return bytes < 1024 * 1024 ? Math.ceil(bytes / 1024) + " KB" :
      (bytes / 1048576).toFixed(1) + " MB";
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-file-preview]")) return;
    var list = document.getElementById(input.dataset.filePreview);
    if (!list) return;
    list.querySelectorAll("img").forEach(function (img) { URL.revokeObjectURL(img.src); });
    list.innerHTML = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.className = "file-preview";
      if (/^image\//.test(file.type)) {
        var img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        item.appendChild(img);
      }
      var caption = document.createElement("span");
      caption.className = "small";
      caption.textContent = file.name + " · " + size(file.size);
      item.appendChild(caption);
      list.appendChild(item);
    });
    list.hidden = !input.files.length;
  });

  // --- On load, and for every fragment htmx swaps in -------------------------------------

  function prepare(root) {
    restoreDrafts(root);
    rememberedAudience(root);
  }

  document.addEventListener("DOMContentLoaded", function () { prepare(document); });
  document.addEventListener("htmx:load", function (event) { prepare(event.detail.elt); });
})();
