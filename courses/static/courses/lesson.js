/* Knowledge checks without a page reload: POST the chosen answer, show the server's verdict.
   Without JavaScript the same form posts normally and the server answers with a full page. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-check]")) { return; }
    if (!window.fetch || !window.FormData) { return; }
    event.preventDefault();
    var output = form.querySelector(".check-output");
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      output.innerHTML = html;
    }).catch(function () {
      form.submit();
    }).finally(function () {
      if (button) { button.disabled = false; }
    });
  });
})();
