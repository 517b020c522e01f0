// Drag and drop on the board. Each drop posts the same move the "Move to"
// form posts; a rejected move puts the card back and shows the reason, and a
// move made meanwhile by someone else reloads the board so the card shows
// where it now is.
(function () {
  "use strict";

  function csrfToken() {
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  }

  function showStatus(message, isError) {
    var status = document.getElementById("board-status");
    if (!status) return;
    status.textContent = message;
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

  function updateCount(list, delta) {
    var count = list.closest(".column").querySelector("[data-count]");
    if (count) count.textContent = String(parseInt(count.textContent, 10) + delta);
  }

  function putBack(event) {
    var item = event.item;
    var reference = event.from.children[event.oldIndex] || null;
    if (reference === item) reference = reference.nextSibling;
    event.from.insertBefore(item, reference);
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

  function onDrop(event, board) {
    var item = event.item;
    if (event.from === event.to && event.oldIndex === event.newIndex) return;
    if (event.from !== event.to) {
      updateCount(event.from, -1);
      updateCount(event.to, 1);
    }
    var after = previousCard(item);
    var body = new URLSearchParams();
    body.set("stage", event.to.getAttribute("data-stage"));
    body.set("version", item.getAttribute("data-version"));
    body.set("request_key", newRequestKey());
    if (after) body.set("after", after.getAttribute("data-card"));
    else body.set("top", "on");
    var url = board.getAttribute("data-move-url-template").replace(
      "00000000-0000-0000-0000-000000000000", item.getAttribute("data-card"));
    var name = item.getAttribute("data-name");
    var stageName = event.to.closest(".column").querySelector(".column-header span").textContent;

    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: body,
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      if (result.data.ok) {
        item.setAttribute("data-version", result.data.version);
        var select = item.querySelector("select[name=stage]");
        if (select) select.value = result.data.stage;
        var version = item.querySelector("input[name=version]");
        if (version) version.value = result.data.version;
        showStatus(name + " → " + stageName, false);
        document.body.dispatchEvent(new CustomEvent("card-moved", { detail: result.data }));
        return;
      }
      putBack(event);
      showStatus(result.data.message, true);
      if (result.status === 409) reloadBoard();
    }).catch(function () {
      putBack(event);
      showStatus("The move could not be saved because the server did not answer. Check the connection and try again.", true);
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
        filter: "select, button, input, a",
        preventOnFilter: false,
        onEnd: function (event) { onDrop(event, board); },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSettle", function () { setUp(document); });
})();
