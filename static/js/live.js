// Live updates over the member's own WebSocket. Pages work without it; this only adds toasts.
(function () {
  "use strict";
  var path = document.body.dataset.liveUrl;
  if (!path || !("WebSocket" in window)) return;
  var toasts = document.getElementById("toasts");
  var delay = 1000;

  function toast(text) {
    var item = document.createElement("div");
    item.className = "toast";
    item.textContent = text;
    toasts.appendChild(item);
    setTimeout(function () { item.remove(); }, 6000);
  }

  // A new notification adds one to the header's unread badge (the page's own count came with it).
  function bump(selector, words) {
    document.querySelectorAll(selector).forEach(function (badge) {
      var count = (parseInt(badge.textContent, 10) || 0) + 1;
      badge.textContent = count;
      badge.setAttribute("aria-label", count + " " + words);
      badge.hidden = false;
    });
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + path);
    socket.onopen = function () { delay = 1000; };
    socket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      document.dispatchEvent(new CustomEvent("mutua:event", { detail: event }));
      if (typeof event.owed === "number") {
        document.querySelectorAll("[data-owed-count]").forEach(function (badge) {
          badge.textContent = event.owed;
          badge.setAttribute("aria-label", event.owed + " waiting");
          badge.hidden = event.owed === 0;
        });
      }
      if (event.type === "notification" || event.type === "give.received") bump("[data-unread-count]", "unread");
      if (event.text) toast(event.text);
    };
    socket.onclose = function (closed) {
      if (closed.code === 4401) return; // signed out: do not retry
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
