// Disclosures that are always open on a wide screen and behind a button on a phone: the header's
// menu and the directory's filters, each a <details data-open-wide="WIDTH">. They open and close
// without this script (on a wide screen the CSS shows a closed one's content where the browser can).
// The script opens them from WIDTH up, mirrors the state in aria-expanded, and closes the phone menu
// and the account menu with Escape or a click elsewhere. Loaded right after the header (not
// deferred), so that the menu is settled before the first paint.
(function () {
  "use strict";
  var fitted = [];

  function fit(details) {
    if (fitted.indexOf(details) !== -1) return;
    fitted.push(details);
    var toggle = details.querySelector("summary");
    var wide = window.matchMedia("(min-width: " + details.dataset.openWide + ")");
    function showState() { toggle.setAttribute("aria-expanded", details.open ? "true" : "false"); }
    function fitScreen() { details.open = wide.matches; showState(); }
    details.isWide = function () { return wide.matches; };
    fitScreen();
    wide.addEventListener("change", fitScreen);
    details.addEventListener("toggle", showState);
  }

  function fitAll() { document.querySelectorAll("details[data-open-wide]").forEach(fit); }
  fitAll(); // the header's menu, which is above this script
  document.addEventListener("DOMContentLoaded", fitAll);

  var menu = document.querySelector("[data-site-menu]");
  function phoneMenuOpen() { return menu && menu.open && !menu.isWide(); }

  document.addEventListener("click", function (event) {
    document.querySelectorAll(".account-menu[open]").forEach(function (details) {
      if (!details.contains(event.target)) details.open = false;
    });
    if (phoneMenuOpen() && !menu.contains(event.target)) menu.open = false;
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var account = document.querySelector(".account-menu[open]");
    if (account) {
      account.open = false;
      account.querySelector("summary").focus();
    } else if (phoneMenuOpen()) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
})();
