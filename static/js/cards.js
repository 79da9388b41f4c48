// What other apps show inside a post card (feeds/cards.py): live poll results, the "Add an
// option" button of the poll form. Results arrive as counts over the one live socket
// (static/js/live.js, polls/live.py); the reader's own vote stays as the server rendered it.
(function () {
  "use strict";

  function onPollResults(event) {
    document.querySelectorAll('.poll[data-poll="' + event.poll + '"]').forEach(function (poll) {
      var voters = event.voters || 0;
      Object.keys(event.counts || {}).forEach(function (option) {
        var votes = event.counts[option] || 0;
        var percent = voters ? Math.round(100 * votes / voters) : 0;
        var count = poll.querySelector('.poll-count[data-option="' + option + '"]');
        if (count) {
          count.querySelector("[data-votes]").textContent = String(votes);
          count.querySelector("[data-percent]").textContent = String(percent);
        }
        var bar = poll.querySelector('[data-option-bar="' + option + '"]');
        if (bar) bar.value = percent;
      });
      var total = poll.querySelector("[data-voters]");
      if (total) total.textContent = String(voters);
      if (event.closed && !poll.classList.contains("is-closed")) refresh(poll);
    });
  }

  function onEventRsvps(event) {
    document.querySelectorAll('.event-card[data-event="' + event.event + '"]').forEach(function (card) {
      var going = card.querySelector("[data-going]");
      var maybe = card.querySelector("[data-maybe]");
      if (going) going.textContent = String(event.going_count || 0);
      if (maybe) maybe.textContent = String(event.maybe_count || 0);
    });
  }

  // The poll as this reader sees it now (closed, voted), through the permission check.
  function refresh(poll) {
    var url = poll.dataset.pollUrl;
    if (!window.htmx || !url || !/^\/(?!\/)/.test(url)) return;
    window.htmx.ajax("GET", url, { target: poll, swap: "outerHTML" });
  }

  function addOptionButton() {
    var box = document.getElementById("poll-option-inputs");
    var button = box && box.querySelector("[data-add-option]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var inputs = box.querySelectorAll("input[name=options]");
      if (inputs.length >= 10) return;
      var n = inputs.length + 1;
      var input = document.createElement("input");
      input.type = "text";
      input.name = "options";
      input.maxLength = 200;
      input.id = "poll-option-" + n;
      input.placeholder = "Option " + n;
      input.setAttribute("aria-label", "Option " + n);
      inputs[inputs.length - 1].after(input);
      input.focus();
      if (n >= 10) button.hidden = true;
    });
  }

  function start() {
    var live = window.socialhubLive;
    if (live) {
      live.on("poll.results", onPollResults);
      live.on("event.rsvps", onEventRsvps);
      live.onReconnect(function () { document.querySelectorAll(".poll[data-poll]").forEach(refresh); });
    }
    addOptionButton();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
