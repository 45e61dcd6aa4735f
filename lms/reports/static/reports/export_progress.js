// Polls the report export's status and shows the download link when the file is ready.
(function () {
  "use strict";
  var root = document.getElementById("report-export");
  if (!root) return;
  var url = root.getAttribute("data-status-url");
  var bar = document.getElementById("report-export-progress");
  var status = document.getElementById("report-export-status");
  var percent = document.getElementById("report-export-percent");
  var link = document.getElementById("report-export-download");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        status.textContent = data.status_label;
        percent.textContent = data.percent;
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
