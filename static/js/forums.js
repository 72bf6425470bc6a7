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

  function csrfToken() {
    var token = document.querySelector('meta[name="csrf-token"]');
    return token ? token.content : "";
  }

  // Controls only some viewers may use arrive for everyone; show them to the right member.
  function personalise(root, member) {
    var posts = document.getElementById("posts");
    root.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(function (input) {
      if (!input.value) input.value = csrfToken();
    });
    root.querySelectorAll("[data-owner]").forEach(function (el) { el.hidden = el.dataset.owner !== member; });
    root.querySelectorAll("[data-not-owner]").forEach(function (el) { el.hidden = el.dataset.notOwner === member; });
    // Reactions are for others' posts; the author and a visitor see the counts.
    root.querySelectorAll("[data-reactions-of]").forEach(function (el) {
      el.hidden = !member || el.dataset.reactionsOf === member;
    });
    root.querySelectorAll("[data-counts-of]").forEach(function (el) {
      el.hidden = Boolean(member) && el.dataset.countsOf !== member;
    });
    var canReply = posts && posts.hasAttribute("data-can-reply");
    root.querySelectorAll("[data-reply-link]").forEach(function (el) { el.hidden = !canReply; });
    var canAccept = posts && posts.hasAttribute("data-can-accept");
    root.querySelectorAll("[data-accept]").forEach(function (el) { el.hidden = !canAccept; });
  }

  function say(text) {
    var status = document.querySelector("[data-live-status]");
    if (status) status.textContent = text;
  }

  function setCounts(post, counts) {
    Object.keys(counts).forEach(function (kind) {
      post.querySelectorAll('[data-count="' + kind + '"]').forEach(function (count) {
        count.textContent = counts[kind];
      });
    });
  }

  // A reaction in place: the API records it and answers with the post's counts; the page does not
  // move. Without this script the same form posts and comes back to the post's anchor.
  function react(form, button) {
    var post = form.closest(".post");
    button.disabled = true;
    fetch(form.dataset.react, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ kind: button.dataset.reaction })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          button.setAttribute("aria-pressed", "true");
          button.classList.add("reaction--mine");
          setCounts(post, body.reactions || {});
          say("Marked " + button.dataset.reaction + ".");
        } else {
          say(body.detail || (body.kind && body.kind[0]) || "That did not work; reload the page and try again.");
        }
      });
    }).catch(function () {
      form.submit(); // no answer: let the page do it the plain way
    }).finally(function () { button.disabled = false; });
  }

  // A vote in place: the vote endpoint answers with the poll as this member now sees it (the results).
  function vote(form) {
    var poll = form.closest("[data-poll]");
    var button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrfToken() },
      body: new FormData(form)
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("text/html") !== 0 || response.status >= 500 || response.status === 403) {
        form.submit();
        return;
      }
      return response.text().then(function (html) {
        var fresh = fragment(html);
        poll.replaceWith(fresh);
        var said = fresh.querySelector(".poll__said");
        if (said) said.focus();
      });
    }).catch(function () { form.submit(); });
  }

  var refreshing = null;
  function refreshPoll() {
    // Many votes may arrive at once: one fetch for the lot, a moment later.
    if (refreshing) return;
    refreshing = setTimeout(function () {
      refreshing = null;
      var poll = document.querySelector("[data-poll]");
      if (!poll) return;
      fetch(poll.dataset.poll, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html) poll.replaceWith(fragment(html)); })
        .catch(function () {});
    }, 400 + Math.random() * 600);
  }

  document.addEventListener("submit", function (event) {
    if (!("fetch" in window)) return;
    var form = event.target;
    if (form.dataset.react !== undefined) {
      event.preventDefault();
      var button = event.submitter || form.querySelector("button");
      if (button.getAttribute("aria-pressed") === "true") {
        say("You have already marked this post " + button.dataset.reaction + ".");
        return;
      }
      react(form, button);
    } else if (form.hasAttribute("data-vote")) {
      event.preventDefault();
      vote(form);
    }
  });

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // Browsers skip autofocus on a page opened at an anchor: focus the reply box it points to.
  var replyBox = document.querySelector("form#reply textarea");
  if (replyBox && location.hash === "#reply") {
    // after the browser's own scroll to the anchor, which would otherwise take the focus back
    window.addEventListener("load", function () { setTimeout(function () { replyBox.focus(); }, 0); });
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
        setCounts(existing, event.counts);
      } else if (event.type === "poll.voted") {
        var poll = document.querySelector("[data-poll]");
        if (poll && poll.hasAttribute("data-poll-results")) {
          refreshPoll();
        } else if (poll) {
          poll.querySelectorAll("[data-poll-total]").forEach(function (total) {
            total.textContent = event.total + (event.total === 1 ? " vote" : " votes");
          });
        }
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
