// Polls the export's status and updates the progress bar until the ZIP is ready.
(function () {
  "use strict";
  var root = document.getElementById("bulk-export");
  if (!root) return;
  var url = root.getAttribute("data-status-url");
  var bar = document.getElementById("bulk-progress");
  var status = document.getElementById("bulk-status");
  var count = document.getElementById("bulk-count");
  var link = document.getElementById("bulk-download");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        status.textContent = data.status_label;
        count.textContent = data.done + "/" + data.total;
        if (data.status === "done") {
          link.hidden = false;
        } else if (data.status !== "failed") {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  if (link.hidden) poll();
})();
