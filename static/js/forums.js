// Live forum pages. The server renders every post; this script only inserts what it sends.
// Without it (or without a socket) the pages work the same, one reload behind.
(function () {
  "use strict";

  function socket(path, onEvent) {
    if (!("WebSocket" in window)) return;
    var delay = 1000;
    var status = document.querySelector("[data-live-status]");
    function connect() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      var ws = new WebSocket(scheme + location.host + path);
      ws.onopen = function () {
        delay = 1000;
        document.body.dataset.live = "on";
        if (status) status.textContent = "";
      };
      ws.onmessage = function (message) { onEvent(JSON.parse(message.data)); };
      ws.onclose = function (closed) {
        document.body.dataset.live = "off";
        if (closed.code === 4403) return; // not allowed to read this: do not retry
        if (status) status.textContent = "Live updates paused; reconnecting…";
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30000);
      };
    }
    connect();
  }

  // Controls only some viewers may use arrive for everyone; show them to the right member.
  function personalise(root, member) {
    var token = document.querySelector('meta[name="csrf-token"]');
    root.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(function (input) {
      if (!input.value && token) input.value = token.content;
    });
    root.querySelectorAll("[data-owner]").forEach(function (el) { el.hidden = el.dataset.owner !== member; });
    root.querySelectorAll("[data-not-owner]").forEach(function (el) { el.hidden = el.dataset.notOwner === member; });
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  var posts = document.getElementById("posts");
  if (posts) {
    var member = posts.dataset.member || "";
    var onLastPage = posts.dataset.page === posts.dataset.pages;
    var status = document.querySelector("[data-live-status]");
    socket("/ws/threads/" + posts.dataset.thread + "/", function (event) {
      var existing = document.getElementById("post-" + event.number);
      if (event.type === "post.created" && !existing && onLastPage) {
        var post = fragment(event.html);
        personalise(post, member);
        post.classList.add("post--new");
        posts.appendChild(post);
        if (status) status.textContent = "New post by " + event.author + ".";
      } else if (event.type === "post.changed" && existing) {
        var changed = fragment(event.html);
        personalise(changed, member);
        existing.querySelectorAll("[aria-pressed=true]").forEach(function (pressed) {
          var twin = changed.querySelector('[data-reaction="' + pressed.dataset.reaction + '"]');
          if (twin) { twin.setAttribute("aria-pressed", "true"); twin.classList.add("reaction--mine"); }
        });
        existing.replaceWith(changed);
        var state = document.querySelector("[data-question-state]");
        if (event.accepted && state) {
          state.textContent = "Answered question";
          state.classList.replace("tag--soft", "tag--ok");
        }
      } else if (event.type === "post.reactions" && existing) {
        Object.keys(event.counts).forEach(function (kind) {
          var count = existing.querySelector('[data-count="' + kind + '"]');
          if (count) count.textContent = event.counts[kind];
        });
      }
    });
  }

  var groups = document.querySelector("[data-live-groups]");
  if (groups) {
    socket("/ws/forums/", function (event) {
      if (event.type !== "group.activity") return;
      var row = groups.querySelector('[data-group="' + event.group + '"]');
      if (!row) return;
      row.querySelector('[data-figure="threads"]').textContent = event.threads;
      row.querySelector('[data-figure="posts"]').textContent = event.posts;
      var note = row.querySelector("[data-activity]");
      note.textContent = event.thread ? "New activity in “" + event.thread + "”" : "New activity";
      note.hidden = false;
      row.classList.add("group-row--active");
    });
  }
})();
