/* Round countdown: counts down to the server-given target, corrected by the server clock.
 * The page already shows the target and the server time; this only adds the live “còn …”. */
(function () {
  "use strict";
  var el = document.getElementById("contest-countdown");
  if (!el) return;
  var target = parseInt(el.dataset.target, 10);
  var offset = parseInt(el.dataset.serverNow, 10) - Date.now();
  var out = el.querySelector("[data-left]");
  if (!out || !target) return;
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    var left = Math.max(0, Math.floor((target - (Date.now() + offset)) / 1000));
    var d = Math.floor(left / 86400), h = Math.floor((left % 86400) / 3600);
    var m = Math.floor((left % 3600) / 60), s = left % 60;
    out.textContent = (d ? d + " " + (el.dataset.days || "ngày") + " " : "") + pad(h) + ":" + pad(m) + ":" + pad(s);
    if (left > 0) window.setTimeout(tick, 1000);
  }
  tick();
})();
