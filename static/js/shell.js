// The shell on small screens: under 960 px the search field, under 720 px the main navigation
// fold behind buttons in the top bar. Each button is a disclosure (aria-expanded, aria-controls);
// Escape closes what is open and gives the focus back to its button.
(function () {
  "use strict";
  var bar = document.getElementById("topbar");
  if (!bar) return;
  var buttons = bar.querySelectorAll("[data-topbar-toggle]");

  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    bar.classList.toggle(button.dataset.topbarToggle, open);
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      buttons.forEach(function (other) { if (other !== button) setOpen(other, false); });
      setOpen(button, open);
      var target = open && button.dataset.focus && document.getElementById(button.dataset.focus);
      if (target) target.focus();
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    buttons.forEach(function (button) {
      if (button.getAttribute("aria-expanded") !== "true") return;
      setOpen(button, false);
      button.focus();
    });
  });
})();
