// @mention suggestions in a post's text box: type @ and a few letters of a handle or a name, pick a
// member with the arrow keys and Enter (or Tab), or the mouse; Escape closes the list. The members
// come from the forums API (`data-mentions`, who a mention in this group reaches). Without this
// script the box is a plain text box, and the page says after posting which @handles matched nobody.
(function () {
  "use strict";

  // The @word just before the caret: the same characters a handle may hold (forums/markup.py).
  var TYPED = /(^|[^\w@\/])@([\w.+-]{1,30})$/;
  var DELAY_MS = 120;

  function enhance(box, index) {
    var source = box.dataset.mentions;
    var listId = (box.id || "mention-box-" + index) + "-mentions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Members to mention");
    list.hidden = true;
    var note = document.createElement("p");
    note.className = "mention-note";
    note.setAttribute("role", "status");
    box.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", note);

    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-haspopup", "listbox");
    box.setAttribute("aria-controls", listId);
    box.setAttribute("aria-expanded", "false");

    var cache = {};
    var timer = null;
    var shown = [];   // the members listed, in order
    var active = -1;  // the highlighted one
    var typed = null; // {start, query}: the @word being completed
    var dismissed = ""; // the query Escape closed the list on: stays closed until it changes

    function close() {
      list.hidden = true;
      list.textContent = "";
      shown = [];
      active = -1;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
    }

    function highlight(position) {
      active = position;
      Array.prototype.forEach.call(list.children, function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      if (active >= 0) {
        box.setAttribute("aria-activedescendant", listId + "-" + active);
        list.children[active].scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }

    function show(members, query) {
      if (!typed || typed.query !== query) return; // an answer to what was typed before
      if (!members.length) {
        close();
        note.textContent = "No member matches @" + query + ": a mention of it would reach nobody.";
        return;
      }
      note.textContent = "";
      list.textContent = "";
      members.forEach(function (member, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.className = "mention-option";
        option.setAttribute("role", "option");
        var name = document.createElement("span");
        name.className = "mention-option__name";
        name.textContent = member.name;
        var handle = document.createElement("span");
        handle.className = "mention-option__handle";
        handle.textContent = "@" + member.handle;
        option.appendChild(name);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(handle);
        // mousedown, not click: the text box keeps the focus (and the caret) while choosing
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(option);
      });
      shown = members;
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      highlight(0);
    }

    function choose(position) {
      var member = shown[position];
      if (!member || !typed) return;
      var before = box.value.slice(0, typed.start);
      var after = box.value.slice(box.selectionStart);
      var inserted = "@" + member.handle + (/^\s/.test(after) ? "" : " ");
      box.value = before + inserted + after;
      var caret = before.length + inserted.length;
      box.setSelectionRange(caret, caret);
      typed = null;
      close();
      note.textContent = member.name + " (@" + member.handle + ") will be mentioned.";
    }

    function lookUp() {
      var match = TYPED.exec(box.value.slice(0, box.selectionStart));
      if (!match) {
        typed = null;
        close();
        note.textContent = "";
        return;
      }
      var query = match[2].replace(/[.\-]+$/, "") || match[2];
      typed = { start: box.selectionStart - match[2].length - 1, query: query };
      if (query === dismissed) return;
      dismissed = "";
      if (cache[query]) {
        show(cache[query], query);
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(source + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { "Accept": "application/json" }
        }).then(function (response) {
          return response.ok ? response.json() : [];
        }).then(function (members) {
          cache[query] = members;
          show(members, query);
        }).catch(close);
      }, DELAY_MS);
    }

    box.addEventListener("input", lookUp);
    box.addEventListener("click", lookUp);
    box.addEventListener("blur", function () { setTimeout(close, 150); });
    box.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + shown.length) % shown.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        dismissed = typed ? typed.query : "";
        close();
      }
    });
    box.addEventListener("keyup", function (event) {
      // The caret moved without typing (Home, End, arrows when the list is closed): look again.
      if (list.hidden && (event.key === "ArrowLeft" || event.key === "ArrowRight" || event.key === "Home" || event.key === "End")) {
        lookUp();
      }
    });
  }

  if (!("fetch" in window)) return;
  document.querySelectorAll("textarea[data-mentions]").forEach(enhance);
})();
