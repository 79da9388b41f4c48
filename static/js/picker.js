// People pickers: a text box that suggests people by name as you type (ARIA combobox with a
// listbox). Arrows move, Enter or Tab picks, Escape closes. The form sends the chosen
// person's username (a hidden input takes over the box's name); a name typed without
// picking is sent as typed, and the server accepts it when only one person has it.
(function () {
  "use strict";
  var DELAY = 150;

  function setup(root) {
    if (root.dataset.pickerReady) return;
    root.dataset.pickerReady = "1";
    var input = root.querySelector("input.picker-input");
    var list = root.querySelector("[role=listbox]");
    var status = root.querySelector("[data-picker-status]");
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = input.dataset.value || input.value;
    input.removeAttribute("name");
    input.insertAdjacentElement("afterend", hidden);
    var timer = null;
    var active = -1;
    var request = 0;

    function options() {
      return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function highlight(index) {
      var items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }
    function pick(item) {
      input.value = item.dataset.label;
      hidden.value = item.dataset.value;
      close();
      if (status) status.textContent = item.dataset.label + " chosen.";
      input.dispatchEvent(new CustomEvent("picker:picked", { bubbles: true, detail: item.dataset }));
    }
    function search() {
      var text = input.value.trim();
      if (!text) { list.innerHTML = ""; close(); return; }
      var url = root.dataset.picker;
      var mine = ++request;
      fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { "HX-Request": "true" },
      })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (mine !== request) return;  // an older answer arriving late
          list.innerHTML = html;
          options().forEach(function (item, i) {
            item.id = list.id + "-" + i;
            item.setAttribute("aria-selected", "false");
          });
          active = -1;
          var n = options().length;
          if (status) status.textContent = n ? n + (n === 1 ? " person" : " people") + " found." : "Nobody by that name.";
          if (list.children.length && document.activeElement === input) open(); else close();
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      hidden.value = input.value.trim();
      clearTimeout(timer);
      timer = setTimeout(search, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var items = options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden && items.length) open();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1) + (active < 0 && event.key === "ArrowUp" ? 1 : 0));
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0 && items[active]) {
          event.preventDefault();  // picking is not submitting
          pick(items[active]);
        } else if (!list.hidden && items.length === 1) {
          event.preventDefault();
          pick(items[0]);
        }
      } else if (event.key === "Tab") {
        if (!list.hidden && active >= 0 && items[active]) pick(items[active]);
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); event.stopPropagation(); close(); }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var item = event.target.closest("[role=option]");
      if (item) pick(item);
    });
  }

  function setupAll(scope) {
    (scope || document).querySelectorAll("[data-picker]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { setupAll(); });
  else setupAll();
  document.addEventListener("htmx:load", function (event) { setupAll(event.target); });
})();
