// Direct messages: the unread count in the navigation on every page, and on a conversation
// page new messages live, edits and deletions, "Seen by", typing, and the catch-up after a
// reconnect (messaging:since). Rendered HTML comes from the server (sanitized once there).
(function () {
  "use strict";
  var TYPING_EVERY = 3000;
  var TYPING_SHOWN = 5000;

  function fromHTML(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  // The Messages count in the navigation (core.navigation.register_badge): filled after the
  // page loads and again on live events, so a page render costs no query for it.
  function refreshCount() {
    var badge = document.querySelector("[data-nav-count=messages]");
    if (!badge || !badge.dataset.countUrl) return;
    fetch(badge.dataset.countUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (text === null) return;
        var n = parseInt(text, 10) || 0;
        badge.hidden = !n;
        badge.innerHTML = "";
        var pre = document.createElement("span"); pre.className = "visually-hidden"; pre.textContent = ", ";
        var post = document.createElement("span"); post.className = "visually-hidden"; post.textContent = " unread";
        badge.appendChild(pre);
        badge.appendChild(document.createTextNode(String(n)));
        badge.appendChild(post);
        // On a phone the navigation folds behind Menu: the count shows on the button too.
        var menu = document.querySelector(".menu-toggle");
        if (menu) {
          var dot = menu.querySelector(".nav-count");
          if (!dot) {
            dot = document.createElement("span");
            dot.className = "nav-count menu-count";
            dot.setAttribute("aria-hidden", "true");
            menu.appendChild(dot);
          }
          dot.hidden = !n;
          dot.textContent = String(n);
        }
      })
      .catch(function () {});
  }

  function thread() { return document.getElementById("dm-thread"); }
  function here(event) {
    var list = thread();
    return list && String(event.conversation) === list.dataset.conversation;
  }
  function me() { var list = thread(); return list ? list.dataset.me : ""; }

  // My own controls on messages that arrive rendered for everyone.
  function adopt(item) {
    if (item.dataset.author === me()) {
      item.querySelectorAll("[data-mine-only]").forEach(function (el) { el.hidden = false; });
    }
    var token = csrfToken();
    item.querySelectorAll("form[method=post]").forEach(function (form) {
      if (form.querySelector("input[name=csrfmiddlewaretoken]")) return;
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "csrfmiddlewaretoken"; input.value = token;
      form.prepend(input);
    });
    if (window.htmx) window.htmx.process(item);
    return item;
  }

  function remember(id) {
    var list = thread();
    if (list && id > parseInt(list.dataset.newest || "0", 10)) list.dataset.newest = String(id);
  }

  function place(item) {
    var list = thread();
    if (!item || document.getElementById(item.id)) return;
    var empty = list.querySelector(".dm-empty");
    if (empty) empty.remove();
    list.appendChild(adopt(item));
    remember(parseInt(item.dataset.message, 10));
  }

  var readTimer = null;
  function markRead() {
    var list = thread();
    if (!list || document.hidden) return;
    clearTimeout(readTimer);
    readTimer = setTimeout(function () {
      var body = new URLSearchParams({ through: list.dataset.newest || "" });
      fetch(list.dataset.read, {
        method: "POST", credentials: "same-origin", body: body,
        headers: { "X-CSRFToken": csrfToken() },
      }).then(refreshCount).catch(function () {});
    }, 300);
  }

  function onCreated(event) {
    refreshCount();
    if (!here(event)) return;
    place(fromHTML(event.html).querySelector("li.dm-message"));
    var typing = document.getElementById("dm-typing");
    if (typing) typing.textContent = "";
    if (String(event.author) !== me()) markRead();
    else { var seen = document.getElementById("dm-seen"); if (seen) seen.textContent = ""; }
  }

  function onEdited(event) {
    if (!here(event)) return;
    var old = document.getElementById("message-" + event.message);
    if (!old) return;
    var fresh = fromHTML(event.html).querySelector("li.dm-message");
    // The event is rendered for everyone: keep my own reaction state from the page.
    var mine = old.querySelector(".dm-reactions");
    var theirs = fresh.querySelector(".dm-reactions");
    if (mine && theirs) theirs.replaceWith(mine);
    old.replaceWith(adopt(fresh));
  }

  // Counts for everyone; the pressed state only for the person who reacted.
  function onReactions(event) {
    if (!here(event)) return;
    var bar = document.getElementById("dm-reactions-" + event.message);
    if (!bar) return;
    bar.querySelectorAll("button.reaction").forEach(function (button) {
      var kind = button.dataset.kind;
      var n = (event.counts && event.counts[kind]) || 0;
      var count = button.querySelector(".count");
      if (count) { count.textContent = n ? String(n) : ""; count.hidden = !n; }
      if (String(event.user) === me() && kind === event.kind) {
        button.setAttribute("aria-pressed", event.on ? "true" : "false");
      }
    });
  }

  function onDeleted(event) {
    if (!here(event)) return;
    var old = document.getElementById("message-" + event.message);
    if (!old) return;
    var body = old.querySelector(".dm-body");
    if (body) { body.innerHTML = ""; var p = document.createElement("p"); p.className = "muted dm-deleted"; p.textContent = "Message deleted"; body.appendChild(p); }
    old.querySelectorAll(".dm-actions, .dm-files, .dm-reactions").forEach(function (el) { el.remove(); });
  }

  var seenBy = {};
  function onRead(event) {
    if (String(event.user) === me()) { refreshCount(); return; }
    if (!here(event)) return;
    var mine = Array.prototype.filter.call(thread().querySelectorAll("li.dm-message"), function (li) {
      return li.dataset.author === me() && !li.querySelector(".dm-deleted");
    });
    var last = mine.length ? parseInt(mine[mine.length - 1].dataset.message, 10) : 0;
    if (!last || event.last_read < last) return;
    seenBy[event.user] = String(event.name || "");
    var seen = document.getElementById("dm-seen");
    if (seen) seen.textContent = "Seen by " + Object.keys(seenBy).map(function (k) { return seenBy[k]; }).join(", ");
  }

  var typingTimer = null;
  function onTyping(event) {
    if (!here(event)) return;
    var typing = document.getElementById("dm-typing");
    if (!typing) return;
    typing.textContent = String(event.name || "Someone") + " is typing…";
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typing.textContent = ""; }, TYPING_SHOWN);
  }

  function catchUp() {
    var list = thread();
    refreshCount();
    if (!list) return;
    fetch(list.dataset.since + "?after=" + encodeURIComponent(list.dataset.newest || "0"), {
      credentials: "same-origin", headers: { "HX-Request": "true" },
    })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        fromHTML(html).querySelectorAll("li.dm-message").forEach(place);
        markRead();
      })
      .catch(function () {});
  }

  function start() {
    refreshCount();
    var live = window.socialhubLive;
    if (live) {
      live.on("message.created", onCreated);
      live.on("message.edited", onEdited);
      live.on("message.deleted", onDeleted);
      live.on("message.reactions", onReactions);
      live.on("conversation.read", onRead);
      live.on("messages.badge", refreshCount);
      live.on("typing", onTyping);
      live.onReconnect(catchUp);
    }
    var list = thread();
    if (!list) return;
    list.querySelectorAll("li.dm-message").forEach(adopt);
    var box = document.getElementById("dm-body");
    var form = document.getElementById("dm-compose");
    if (box && form) {
      var lastTyping = 0;
      // Enter is a new line; Ctrl/Cmd+Enter sends: static/js/composer.js, as for posts.
      box.addEventListener("input", function () {
        var now = Date.now();
        if (live && now - lastTyping > TYPING_EVERY) {
          lastTyping = now;
          live.send({ type: "typing", conversation: parseInt(list.dataset.conversation, 10) });
        }
      });
      document.addEventListener("htmx:beforeSwap", function (event) {
        // My own message comes back from Send; if its live copy got here first, mine wins.
        if (event.detail.target !== list) return;
        var text = (event.detail.xhr && event.detail.xhr.responseText) || "";
        (text.match(/id="message-\d+"/g) || []).forEach(function (found) {
          var copy = document.getElementById(found.slice(4, -1));
          if (copy) copy.remove();
        });
      });
      document.addEventListener("htmx:afterSwap", function (event) {
        if (event.detail.target === list) {
          list.querySelectorAll("li.dm-message").forEach(function (li) {
            remember(parseInt(li.dataset.message, 10));
          });
          var empty = list.querySelector(".dm-empty");
          if (empty) empty.remove();
          list.lastElementChild && list.lastElementChild.scrollIntoView({ block: "nearest" });
        }
      });
    }
    var last = list.querySelector("li.dm-message:last-of-type");
    if (last) last.scrollIntoView({ block: "nearest" });
    document.addEventListener("visibilitychange", function () { if (!document.hidden) markRead(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
