// The header's menu button is a <details>: it opens and closes without this script. The script keeps
// the panel open on wide screens (where the button is hidden), mirrors the state in aria-expanded,
// and closes the phone menu and the account menu with Escape or a click elsewhere.
(function () {
  "use strict";
  var menu = document.querySelector("[data-site-menu]");
  if (!menu) return;
  var toggle = menu.querySelector("summary");
  var wide = window.matchMedia("(min-width: 64rem)");

  function showState() { toggle.setAttribute("aria-expanded", menu.open ? "true" : "false"); }
  function fitScreen() { menu.open = wide.matches; showState(); }

  fitScreen();
  wide.addEventListener("change", fitScreen);
  menu.addEventListener("toggle", showState);

  function closeAll(except) {
    document.querySelectorAll(".account-menu[open]").forEach(function (details) {
      if (!details.contains(except)) details.open = false;
    });
    if (!wide.matches && menu.open && !menu.contains(except)) menu.open = false;
  }
  document.addEventListener("click", function (event) { closeAll(event.target); });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var account = document.querySelector(".account-menu[open]");
    if (account) {
      account.open = false;
      account.querySelector("summary").focus();
    } else if (!wide.matches && menu.open) {
      menu.open = false;
      toggle.focus();
    }
  });
})();
