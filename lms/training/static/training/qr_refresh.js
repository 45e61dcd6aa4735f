/* QR check-in screen: draw a fresh signed code every few seconds without reloading the page
   (a <meta http-equiv="refresh"> is an accessibility failure). The trainer can pause it. */
(function () {
  "use strict";
  var screen = document.querySelector("[data-qr-refresh]");
  if (!screen) return;
  var seconds = parseInt(screen.getAttribute("data-qr-refresh"), 10) || 60;
  var button = screen.querySelector("[data-qr-pause]");
  var timer = null;

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    ["[data-qr-code]", "[data-qr-link]"].forEach(function (selector) {
      var fresh = doc.querySelector(selector);
      var current = screen.querySelector(selector);
      if (fresh && current) current.replaceWith(fresh);
    });
  }

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(swap)
      .catch(function () { /* keep the current code; the next tick tries again */ });
  }

  function start() {
    timer = window.setInterval(refresh, seconds * 1000);
    if (button) { button.textContent = button.getAttribute("data-label-pause"); button.setAttribute("aria-pressed", "false"); }
  }

  function stop() {
    window.clearInterval(timer);
    timer = null;
    if (button) { button.textContent = button.getAttribute("data-label-resume"); button.setAttribute("aria-pressed", "true"); }
  }

  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { if (timer) { stop(); } else { refresh(); start(); } });
  }
  start();
})();
