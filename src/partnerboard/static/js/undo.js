// Undo banners of partner emails: counts each banner down to zero and then
// removes it, and adds a banner when the board's drag and drop reports a move
// that queued an email (the "card-moved" event carries the move's JSON).
// The banner is a plain POST form, so Undo also works without this script.
(function () {
  "use strict";

  function csrfToken() {
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  }

  function startCountdown(banner) {
    if (banner._countdown) return;
    var deadline = Date.now() + parseInt(banner.getAttribute("data-undo-seconds"), 10) * 1000;
    var label = banner.querySelector("[data-countdown]");
    banner._countdown = setInterval(function () {
      var left = Math.ceil((deadline - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(banner._countdown);
        banner.remove();
        return;
      }
      label.textContent = String(left);
    }, 250);
  }

  function addBanner(notification) {
    var container = document.getElementById("undo-banners");
    if (!container || !notification) return;
    var old = container.querySelector('[data-notification="' + notification.id + '"]');
    if (old) old.remove();
    var form = document.createElement("form");
    form.className = "message undo-banner";
    form.method = "post";
    form.action = notification.undo_url;
    form.setAttribute("data-notification", notification.id);
    form.setAttribute("data-undo-seconds", String(notification.seconds_left));

    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = csrfToken();
    var next = document.createElement("input");
    next.type = "hidden";
    next.name = "next";
    next.value = window.location.pathname + window.location.search;

    var text = document.createElement("span");
    text.textContent = container.getAttribute("data-text-before").replace("%(partner)s", notification.partner) + " ";
    var count = document.createElement("span");
    count.setAttribute("data-countdown", "");
    count.textContent = String(notification.seconds_left);
    text.appendChild(count);
    text.appendChild(document.createTextNode(" s · "));
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "link";
    button.textContent = container.getAttribute("data-text-undo");

    form.appendChild(token);
    form.appendChild(next);
    form.appendChild(text);
    form.appendChild(button);
    container.appendChild(form);
    startCountdown(form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-undo-seconds]").forEach(startCountdown);
    document.body.addEventListener("card-moved", function (event) {
      if (event.detail && event.detail.notification) addBanner(event.detail.notification);
    });
  });
})();
