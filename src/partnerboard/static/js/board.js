// Drag and drop on the board. Each drop posts the same move the "Move to"
// form posts, asking for JSON. A rejected move puts the card back and shows
// the reason. A move made meanwhile by someone else (409) reloads the board,
// so the card shows where it now is. A saved move dispatches `card-moved` on
// document.body with the card, both stages and the new version.
//
// The sentences shown come from data-message-* attributes that the template
// translates, so this file contains no user-facing English.
(function () {
  "use strict";

  var PLACEHOLDER = "00000000-0000-0000-0000-000000000000";

  function csrfToken() {
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  }

  function message(board, key, values) {
    var text = board.getAttribute("data-message-" + key) || "";
    // One pass, so a placeholder typed inside a partner name stays as typed.
    return text.replace(/%\((\w+)\)s/g, function (placeholder, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? values[name] : placeholder;
    });
  }

  function showStatus(text, isError) {
    var status = document.getElementById("board-status");
    if (!status) return;
    status.textContent = text;
    status.className = "board-status" + (isError ? " error" : "");
  }

  function newRequestKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  function previousCard(element) {
    var sibling = element.previousElementSibling;
    while (sibling && !sibling.hasAttribute("data-card")) sibling = sibling.previousElementSibling;
    return sibling;
  }

  function stageName(list) {
    return list.closest(".column").querySelector(".stage-name").textContent;
  }

  function updateCount(list, delta) {
    var count = list.closest(".column").querySelector("[data-count]");
    if (count) count.textContent = String(parseInt(count.textContent, 10) + delta);
  }

  // Remember where a card was picked up. Sortable reorders the list live
  // while the card is dragged over it, so the index at the start no longer
  // points to the card's place. The card that was below it still does.
  function rememberHome(event) {
    event.item._home = { list: event.from, next: event.item.nextElementSibling };
  }

  function putBack(event) {
    var item = event.item;
    var home = item._home || { list: event.from, next: null };
    var next = home.next;
    if (next && next.parentNode !== home.list) {
      // The card below was replaced meanwhile (a "More…" row that loaded).
      next = home.list.querySelector("li.more");
    }
    home.list.insertBefore(item, next);
    if (event.from !== event.to) {
      updateCount(event.to, -1);
      updateCount(event.from, 1);
    }
  }

  function reloadBoard() {
    if (window.htmx) {
      htmx.ajax("GET", window.location.href, { target: "#board", swap: "innerHTML" });
    } else {
      window.location.reload();
    }
  }

  // Read a move response. The view returns JSON, but a lowered role (403),
  // an ended session (a redirect to the sign-in page) or a server error
  // returns HTML, and each needs its own sentence.
  function readResponse(response, board) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") !== -1) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }
    var key = "server-error";
    if (response.status === 403) key = "forbidden";
    else if (response.redirected || response.status === 401) key = "signed-out";
    var text = message(board, key, { status: String(response.status) });
    return { status: response.status, data: { ok: false, message: text } };
  }

  function onDrop(event, board) {
    var item = event.item;
    if (event.from === event.to && event.oldIndex === event.newIndex) return;
    if (event.from !== event.to) {
      updateCount(event.from, -1);
      updateCount(event.to, 1);
    }
    var cardId = item.getAttribute("data-card");
    var fromStage = event.from.getAttribute("data-stage");
    var toStage = event.to.getAttribute("data-stage");
    var previousVersion = item.getAttribute("data-version");
    var after = previousCard(item);
    var body = new URLSearchParams();
    body.set("stage", toStage);
    body.set("version", previousVersion);
    body.set("request_key", newRequestKey());
    if (after) body.set("after", after.getAttribute("data-card"));
    else body.set("top", "on");
    var url = board.getAttribute("data-move-url-template").replace(PLACEHOLDER, cardId);
    var name = item.getAttribute("data-name");
    var toName = stageName(event.to);

    item.classList.add("saving");
    item.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: body,
      credentials: "same-origin",
    }).then(function (response) {
      return readResponse(response, board);
    }).then(function (result) {
      item.classList.remove("saving");
      item.removeAttribute("aria-busy");
      if (result.data.ok) {
        item.setAttribute("data-version", result.data.version);
        var select = item.querySelector("select[name=stage]");
        if (select) select.value = result.data.stage;
        var version = item.querySelector("input[name=version]");
        if (version) version.value = result.data.version;
        var age = item.querySelector(".age");
        if (age && event.from !== event.to) {
          age.textContent = message(board, "entered");
          age.removeAttribute("title");
        }
        showStatus(message(board, "moved", { partner: name, stage: toName }), false);
        document.body.dispatchEvent(new CustomEvent("card-moved", {
          detail: {
            ok: true,
            card: cardId,
            name: name,
            stage: result.data.stage,
            stageName: toName,
            fromStage: fromStage,
            fromStageName: stageName(event.from),
            version: result.data.version,
            previousVersion: parseInt(previousVersion, 10),
            moveUrl: url,
            notification: result.data.notification || null,
          },
        }));
        return;
      }
      putBack(event);
      showStatus(result.data.message, true);
      if (result.status === 409) reloadBoard();
    }).catch(function () {
      item.classList.remove("saving");
      item.removeAttribute("aria-busy");
      putBack(event);
      showStatus(message(board, "offline"), true);
    });
  }

  function setUp(root) {
    var board = root.querySelector(".board");
    if (!board || board.getAttribute("data-can-write") !== "1" || !window.Sortable) return;
    board.querySelectorAll("ul.cards").forEach(function (list) {
      if (list._sortable) return;
      list._sortable = Sortable.create(list, {
        group: "board",
        animation: 120,
        draggable: "li.card",
        filter: "select, button, input, .saving",
        preventOnFilter: false,
        // On a touch screen a swipe scrolls the board, and a press held for a
        // moment picks the card up.
        delay: 200,
        delayOnTouchOnly: true,
        // Scroll the board sideways and the column down while a card is
        // held near their edges, so distant columns are reachable.
        scroll: true,
        bubbleScroll: true,
        scrollSensitivity: 60,
        onStart: rememberHome,
        onEnd: function (event) { onDrop(event, board); },
      });
    });
  }

  // After a move posted through the "Move to" form, the server redirects to
  // the board with the card's id as the fragment. Putting the focus back on
  // that card's control lets a keyboard user carry on. This runs on "load":
  // in Chromium 156 a focus set on DOMContentLoaded did not last, because
  // the browser's own handling of the fragment put the focus back on the body.
  function focusMovedCard() {
    var match = /^#card-([0-9a-f-]{36})$/.exec(window.location.hash);
    if (!match) return;
    var control = document.getElementById("move-" + match[1]);
    if (control) control.focus({ preventScroll: false });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  window.addEventListener("load", focusMovedCard);
  document.addEventListener("htmx:afterSettle", function () { setUp(document); });
})();
