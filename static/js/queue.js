// The inbox's bulk bar: "select all on this page", how many are ticked, and only the field
// the chosen action needs (who, for "Assign"; which tag, for "Tag").
(function () {
  "use strict";
  function bar() { return document.getElementById("bulk-form"); }
  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox][form=bulk-form][name=questions]"));
  }
  function refresh() {
    var form = bar();
    if (!form) return;
    var ticked = boxes().filter(function (b) { return b.checked; }).length;
    var count = form.querySelector("[data-bulk-count]");
    if (count) count.textContent = ticked ? ticked + (ticked === 1 ? " question selected" : " questions selected") : "No question selected";
    var all = document.getElementById("bulk-all");
    if (all) {
      all.checked = ticked > 0 && ticked === boxes().length;
      all.indeterminate = ticked > 0 && ticked < boxes().length;
    }
    var action = form.querySelector("select[name=action]");
    form.querySelectorAll("[data-bulk-for]").forEach(function (field) {
      field.hidden = field.dataset.bulkFor !== action.value;
    });
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.id === "bulk-all") {
      boxes().forEach(function (b) { b.checked = target.checked; });
    }
    if (target.id === "bulk-all" || target.form === bar() || target.getAttribute("form") === "bulk-form") refresh();
  });
  document.addEventListener("htmx:afterSettle", refresh);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
})();
