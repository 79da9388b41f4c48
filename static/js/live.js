// The live feed: one WebSocket per tab at /ws/ (feeds/consumers.py). Events come rendered
// once for every reader (feeds/live.py); what differs per reader arrives over HTTP as before.
// The wire is best effort: after any gap the tab catches up over HTTP (feeds:since).
(function () {
  "use strict";
  if (window.__socialhubLive || !("WebSocket" in window)) return;
  window.__socialhubLive = true;

  var CLOSE_UNAUTHENTICATED = 4401;
  var CLOSE_TOO_MANY = 4429;
  var MAX_DELAY = 30000;
  var PING_EVERY = 25000;

  var socket = null;
  var attempts = 0;
  var everOpen = false;
  var signedOut = false; // the server said this person's access ended: never reconnect
  var pingTimer = null;
  var pending = []; // new post cards held back while the reader is scrolled down
  var newest = 0; // the newest post id this tab has seen, the catch-up cursor

  function feed() { return document.getElementById("feed-list"); }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  // Shared cards carry no CSRF token (feeds/live.py): give their forms this page's own.
  function adopt(element) {
    var token = csrfToken();
    element.querySelectorAll("form[method=post]").forEach(function (form) {
      if (form.querySelector("input[name=csrfmiddlewaretoken]")) return;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "csrfmiddlewaretoken";
      input.value = token;
      form.prepend(input);
    });
    if (window.htmx) window.htmx.process(element);
    return element;
  }

  function fromHTML(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  function postIds(root) {
    return Array.prototype.map.call(
      (root || document).querySelectorAll("article.post[data-post]"),
      function (el) { return parseInt(el.dataset.post, 10); }
    );
  }

  function remember(id) { if (id > newest) newest = id; }

  // --- New posts --------------------------------------------------------------------------

  function belongsHere(event) {
    var list = feed();
    if (!list) return false;
    var kind = list.dataset.liveFeed;
    if (kind === "home") return true; // the socket hears only the groups of my home feed
    if (kind === "group") return String(event.group) === list.dataset.liveGroup;
    if (kind === "person") return event.author === list.dataset.liveAuthor;
    return false;
  }

  function scrolledAway() {
    var list = feed();
    return list && list.getBoundingClientRect().top < -10;
  }

  function card(html) {
    var element = fromHTML(html).querySelector("article.post");
    if (!element) return null;
    if (feed().dataset.liveFeed === "group") {
      element.querySelectorAll(".post-where").forEach(function (el) { el.remove(); });
    }
    element.dataset.live = "1";
    gateComments(element, feed().dataset.commentGate);
    return adopt(element);
  }

  // A card rendered once for every reader carries a comment box; a reader whom the social
  // media policy keeps from commenting sees why instead, before typing (as on cards the
  // page itself rendered: feeds/_card_comments.html).
  function gateComments(element, policyUrl) {
    if (!policyUrl) return;
    element.querySelectorAll("form.comment-form").forEach(function (form) {
      var note = document.createElement("p");
      note.className = "muted small comment-gate";
      note.appendChild(document.createTextNode("Commenting waits for the social media policy: "));
      var link = document.createElement("a");
      link.href = policyUrl;
      link.textContent = "read and acknowledge it";
      note.appendChild(link);
      note.appendChild(document.createTextNode("."));
      form.replaceWith(note);
    });
  }

  // Screen readers hear "N new posts", not the cards (the feed itself is no live region).
  function announce(count) {
    var status = document.getElementById("feed-status");
    if (status) status.textContent = count === 1 ? "1 new post" : count + " new posts";
  }

  function showPosts(cards) {
    var list = feed();
    var anchor = list.querySelector(":scope > article.post, :scope > .more");
    var empty = list.querySelector(".feed-empty");
    if (empty) empty.remove();
    cards.forEach(function (element) {
      if (document.getElementById(element.id)) return;
      if (anchor) list.insertBefore(element, anchor);
      else list.appendChild(element);
    });
  }

  function updateBar() {
    var list = feed();
    var bar = document.getElementById("live-new-posts");
    if (!pending.length) { if (bar) bar.remove(); return; }
    if (!bar) {
      bar = document.createElement("button");
      bar.type = "button";
      bar.id = "live-new-posts";
      bar.className = "btn live-bar";
      bar.addEventListener("click", function () {
        var cards = pending;
        pending = [];
        updateBar();
        showPosts(cards);
        window.scrollTo({ top: 0, behavior: "smooth" });
      });
      list.parentNode.insertBefore(bar, list);
    }
    bar.textContent = pending.length === 1 ? "1 new post" : pending.length + " new posts";
    announce(pending.length);
  }

  // `cards` newest first; they go on top in that order, or wait behind the bar.
  function arrive(cards) {
    cards = cards.filter(function (element) {
      return element && !document.getElementById(element.id) &&
        !pending.some(function (p) { return p.id === element.id; });
    });
    if (!cards.length) return;
    if (scrolledAway()) {
      pending = cards.concat(pending);
      updateBar();
    } else {
      showPosts(cards);
      announce(cards.length);
    }
  }

  // --- Events -----------------------------------------------------------------------------

  function onPostCreated(event) {
    if (!belongsHere(event)) return;
    remember(event.post); // the catch-up cursor follows this feed's posts only
    arrive([card(event.html)]);
  }

  function onPostEdited(event) {
    document.querySelectorAll("#post-" + event.post + " .post-body").forEach(function (body) {
      body.innerHTML = event.body_html; // sanitized once on the server (core.markdown)
    });
  }

  function removePost(id) {
    pending = pending.filter(function (p) { return p.id !== "post-" + id; });
    updateBar();
    var element = document.getElementById("post-" + id);
    if (!element) return;
    var thread = document.getElementById("thread");
    if (thread && !feed()) {
      // The post's own page: say so instead of leaving an empty page.
      var note = document.createElement("p");
      note.className = "notice";
      note.setAttribute("role", "status");
      note.textContent = "This post is no longer available.";
      element.replaceWith(note);
      thread.remove();
    } else {
      element.remove();
    }
  }

  function onCommentCreated(event) {
    if (document.getElementById("comment-" + event.comment)) return;
    var count = document.getElementById("comment-count-" + event.post);
    if (count) {
      var n = event.comment_count;
      count.textContent = n ? n + " comment" + (n === 1 ? "" : "s") : "No comments yet";
    }
    var box = document.getElementById("comments-" + event.post);
    if (box) {
      var before = box.querySelector(":scope > .comment-form, :scope > .closed-note");
      var comment = adopt(fromHTML(event.html).firstElementChild);
      if (before) box.insertBefore(comment, before); else box.appendChild(comment);
      return;
    }
    var thread = document.getElementById("thread");
    if (thread && document.getElementById("post-" + event.post)) {
      var element = fromHTML(event.html).firstElementChild;
      if (event.parent) {
        // A reply shows only under its thread, and only where the thread's latest replies
        // are on the page (not behind "Show later replies"); else its count says it came.
        var parent = document.getElementById("comment-" + event.parent);
        var replies = parent && parent.closest(".thread-item") &&
          parent.closest(".thread-item").querySelector(".replies");
        if (!replies || replies.querySelector(":scope > .replies-later")) return;
        var reply = replies.querySelector(":scope > .reply-details");
        replies.insertBefore(adopt(element), reply);
        return;
      }
      if (thread.querySelector(":scope > .thread-later")) return; // later threads not shown
      var item = document.createElement("div");
      item.className = "thread-item";
      item.appendChild(element);
      var replyBox = document.createElement("div");
      replyBox.className = "replies";
      item.appendChild(replyBox);
      var none = thread.querySelector(":scope > p.muted");
      if (none && !none.classList.contains("closed-note")) none.remove();
      var end = thread.querySelector(":scope > .comment-form-main, :scope > .closed-note, :scope > .notice");
      thread.insertBefore(adopt(item), end);
    }
  }

  function onCommentRemoved(event) {
    var element = document.getElementById("comment-" + event.comment);
    if (!element) return;
    if (element.closest("#thread")) {
      var gone = document.createElement("p");
      gone.className = "comment comment-gone muted small";
      gone.id = element.id;
      gone.textContent = "This comment was removed.";
      element.replaceWith(gone);
    } else {
      element.remove();
    }
  }

  function onReactions(event) {
    Object.keys(event.counts).forEach(function (kind) {
      var button = document.getElementById("react-" + event.post + "-" + kind);
      if (!button) return;
      var n = event.counts[kind];
      var count = button.querySelector(".count");
      if (!n) {
        if (count) { count.previousSibling && count.previousSibling.nodeType === 3 && count.previousSibling.remove(); count.remove(); }
        return;
      }
      if (!count) {
        button.appendChild(document.createTextNode(" "));
        count = document.createElement("span");
        count.className = "count";
        button.appendChild(count);
      }
      count.textContent = String(n);
    });
  }

  function refreshBadge() {
    var badge = document.getElementById("notification-badge");
    var url = badge && badge.dataset.countUrl;
    if (!url) return;
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var fresh = html && fromHTML(html).getElementById("notification-badge");
        var current = document.getElementById("notification-badge");
        if (fresh && current) current.replaceWith(fresh);
      })
      .catch(function () {});
  }

  function onQuestionAssigned(event) {
    refreshBadge();
    var list = document.querySelector("ul.messages");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messages";
      list.setAttribute("role", "status");
      var main = document.getElementById("content");
      if (!main) return;
      main.prepend(list);
    }
    var item = document.createElement("li");
    item.className = "message info";
    var link = document.createElement("a");
    link.textContent = "A customer question was assigned to you.";
    var url = typeof event.url === "string" ? event.url : "";
    link.href = /^\/(?!\/)/.test(url) ? url : "/"; // a path on this site, nothing else
    item.appendChild(link);
    list.appendChild(item);
  }

  // Listening: an alert opened, changed or resolved. The event carries ids only; the open
  // alerts page fetches its list again through its own permission check.
  function onAlertChanged() {
    refreshBadge();
    var list = document.querySelector("[data-live-alerts]");
    if (!list) return;
    var url = list.dataset.liveAlerts;
    if (!/^\/(?!\/)/.test(url)) return;
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        if (!response.ok) return;
        return response.text().then(function (html) {
          var fresh = fromHTML(html);
          list.replaceChildren.apply(list, Array.prototype.slice.call(fresh.childNodes));
        });
      })
      .catch(function () {});
  }

  // Something an element on this page shows changed (an incident's timeline, the brand
  // activity feed): the event names a topic only; the element fetches what changed over
  // HTTP, through the permission check. <ol data-live-topic="..." data-live-url="...">
  // replaces its content, or with data-live-append appends the entries after its last
  // [data-entry] (?after=<id>).
  // One request at a time per element (two quick events must not append the same entries
  // twice); an event that arrives meanwhile asks for one more round after it.
  function refreshTopic(element) {
    if (!window.htmx) return;
    var url = element.dataset.liveUrl;
    if (!url || !/^\/(?!\/)/.test(url)) return;
    if (element.dataset.liveBusy) { element.dataset.liveAgain = "1"; return; }
    element.dataset.liveBusy = "1";
    var request;
    if ("liveAppend" in element.dataset) {
      var entries = element.querySelectorAll("[data-entry]");
      var last = entries.length ? entries[entries.length - 1].dataset.entry : "0";
      request = window.htmx.ajax("GET", url + "?after=" + encodeURIComponent(last), { target: element, swap: "beforeend" });
    } else {
      request = window.htmx.ajax("GET", url, { target: element, swap: "innerHTML" });
    }
    var done = function () {
      delete element.dataset.liveBusy;
      if (element.dataset.liveAgain) { delete element.dataset.liveAgain; refreshTopic(element); }
    };
    if (request && request.then) request.then(done, done); else done();
  }

  function onTopicChanged(event) {
    if (typeof event.topic !== "string") return;
    document.querySelectorAll("[data-live-topic]").forEach(function (element) {
      if (element.dataset.liveTopic === event.topic) refreshTopic(element);
    });
  }

  var handlers = {
    "topic.changed": onTopicChanged,
    "post.created": onPostCreated,
    "post.edited": onPostEdited,
    "post.removed": function (event) { removePost(event.post); },
    "comment.created": onCommentCreated,
    "comment.removed": onCommentRemoved,
    "reactions.changed": onReactions,
    "notification.badge": refreshBadge,
    "question.assigned": onQuestionAssigned,
    "alert.changed": onAlertChanged,
    "signed.out": onSignedOut,
  };

  // The server ended this person's access (deactivated, signed out elsewhere, password
  // changed): say so where page messages go, with a way back in. Built from text nodes only.
  function onSignedOut() {
    signedOut = true;
    if (document.getElementById("signed-out-notice")) return;
    var main = document.getElementById("content");
    if (!main) return;
    var list = main.querySelector(":scope > ul.messages");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messages";
      list.setAttribute("role", "status");
      main.insertBefore(list, main.firstChild);
    }
    var item = document.createElement("li");
    item.className = "message warning";
    item.id = "signed-out-notice";
    item.appendChild(document.createTextNode("You have been signed out, so this page no longer updates. "));
    var link = document.createElement("a");
    link.href = "/accounts/login/?next=" + encodeURIComponent(location.pathname + location.search);
    link.textContent = "Sign in again";
    item.appendChild(link);
    list.appendChild(item);
  }

  // --- Catching up over HTTP after a gap --------------------------------------------------

  function catchUp() {
    var list = feed();
    if (!list || !list.dataset.liveSince) return;
    var onScreen = postIds(document).slice(0, 100);
    var params = new URLSearchParams({ feed: list.dataset.liveFeed, after: String(newest) });
    if (list.dataset.liveGroup) params.set("group", list.dataset.liveGroup);
    if (list.dataset.liveAuthor) params.set("author", list.dataset.liveAuthor);
    if (onScreen.length) params.set("ids", onScreen.join(","));
    fetch(list.dataset.liveSince + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { "HX-Request": "true" },
    })
      .then(function (response) {
        if (!response.ok) return;
        (response.headers.get("X-Live-Gone") || "").split(",").forEach(function (id) {
          if (id) removePost(id);
        });
        return response.text().then(function (html) {
          var cards = Array.prototype.slice.call(fromHTML(html).querySelectorAll("article.post"));
          cards.forEach(function (element) { remember(parseInt(element.dataset.post, 10)); adopt(element); });
          arrive(cards);
        });
      })
      .catch(function () {});
  }

  // --- The socket -------------------------------------------------------------------------

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }

  // Other page scripts (static/js/messages.js) listen to their event types and send their
  // frames on this one socket, and catch up after a reconnect.
  var listeners = {};
  var reconnected = [];
  window.socialhubLive = {
    on: function (type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
    onReconnect: function (fn) { reconnected.push(fn); },
    send: send,
  };

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/");
    socket.addEventListener("open", function () {
      attempts = 0;
      var list = feed();
      if (list && list.dataset.liveFeed === "group") {
        send({ type: "subscribe", group: parseInt(list.dataset.liveGroup, 10) });
      } else if (!list) {
        // A post's own page: hear its group (its poll's results, say) even from outside it.
        var only = document.querySelectorAll("article.post[data-group]");
        if (only.length === 1) send({ type: "subscribe", group: parseInt(only[0].dataset.group, 10) });
      }
      if (everOpen) { // what happened while we were away
        catchUp();
        document.querySelectorAll("[data-live-topic]").forEach(refreshTopic);
        reconnected.forEach(function (fn) { try { fn(); } catch (e) { /* keep the others */ } });
      }
      everOpen = true;
      document.documentElement.dataset.live = "open";
      clearInterval(pingTimer);
      pingTimer = setInterval(function () { send({ type: "ping" }); }, PING_EVERY);
    });
    socket.addEventListener("message", function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      var handle = event && handlers[event.type];
      if (handle) handle(event);
      (event && listeners[event.type] || []).forEach(function (fn) {
        try { fn(event); } catch (e) { /* one page script's error must not stop the socket */ }
      });
    });
    socket.addEventListener("close", function (close) {
      clearInterval(pingTimer);
      document.documentElement.dataset.live = "closed";
      if (signedOut || close.code === CLOSE_UNAUTHENTICATED) return; // signed out: nothing to follow
      // Exponential backoff with jitter, so a restarted server is not hit by every tab at once.
      var base = Math.min(MAX_DELAY, 1000 * Math.pow(2, attempts));
      if (close.code === CLOSE_TOO_MANY) base = MAX_DELAY;
      attempts += 1;
      setTimeout(connect, base / 2 + Math.random() * base / 2);
    });
  }

  function start() {
    postIds(document).forEach(remember);
    document.addEventListener("htmx:beforeSwap", function (event) {
      // My own post comes back from compose; if its shared copy got here first, mine
      // (with its menu and my reactions) replaces it.
      var text = event.detail.xhr && event.detail.xhr.responseText;
      var found = text && text.match(/<article data-post="(\d+)"/g);
      (found || []).forEach(function (tag) {
        var id = tag.replace(/\D/g, "");
        var copy = document.querySelector("#post-" + id + "[data-live]");
        if (copy) copy.remove();
        pending = pending.filter(function (p) { return p.id !== "post-" + id; });
      });
      updateBar();
    });
    document.addEventListener("htmx:afterSettle", function () {
      postIds(document).forEach(remember);
    });
    connect();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
