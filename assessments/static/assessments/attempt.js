/* Attempt page: save each answer the moment it is given, never lose one.
 *
 * - every change gets a per-question sequence number (starting above the server's) and is kept in
 *   localStorage until the server acknowledges it; the server stores only newer sequence numbers;
 * - failed saves are retried with exponential backoff and immediately on the "online" event;
 * - the timer only displays the server's deadline, corrected by the server clock; at zero it submits.
 * No framework, no inline script (CSP: script-src 'self').
 */
(function () {
  "use strict";

  var form = document.getElementById("attempt");
  if (!form) return;

  var t = document.getElementById("i18n").dataset;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var saveUrl = form.dataset.saveUrl;
  var resultUrl = form.dataset.resultUrl;
  var storeKey = "lms-attempt-" + form.dataset.attempt;
  var deadline = form.dataset.deadline ? Number(form.dataset.deadline) : null;
  var offset = Number(form.dataset.serverNow) - Date.now(); // server clock minus browser clock
  var timerEl = document.getElementById("timer");
  var netEl = document.getElementById("net-state");
  var warnEl = document.getElementById("submit-warning");

  var pending = loadPending(); // {aqId: {answer, seq}} not yet acknowledged
  var seqs = {}; // highest sequence number used per question
  var inflight = {}; // aqId -> seq being sent
  var backoff = 1000;
  var retryTimer = null;
  var closed = false;
  var submitting = false;

  function loadPending() {
    try {
      return JSON.parse(window.localStorage.getItem(storeKey)) || {};
    } catch (e) {
      return {};
    }
  }

  function persist() {
    try {
      if (Object.keys(pending).length) {
        window.localStorage.setItem(storeKey, JSON.stringify(pending));
      } else {
        window.localStorage.removeItem(storeKey);
      }
    } catch (e) {
      /* storage full or disabled: saving still works while online */
    }
  }

  function fieldset(id) {
    return document.getElementById("q" + id);
  }

  function setState(fs, state) {
    var el = fs.querySelector(".save-state");
    el.dataset.state = state;
    el.textContent = state === "saved" ? t.saved : state === "saving" ? t.saving : state === "pending" ? t.pending : "";
  }

  function readAnswer(fs) {
    var type = fs.dataset.qtype;
    if (type === "single" || type === "truefalse") {
      var checked = fs.querySelector("input[type=radio]:checked");
      return checked ? Number(checked.value) : null;
    }
    if (type === "multiple") {
      return Array.prototype.map.call(fs.querySelectorAll("input[type=checkbox]:checked"), function (i) {
        return Number(i.value);
      });
    }
    if (type === "shortanswer" || type === "numerical") {
      return fs.querySelector("input[type=text]").value;
    }
    if (type === "matching") {
      var answer = {};
      fs.querySelectorAll("select[data-prompt]").forEach(function (s) {
        if (s.value) answer[s.dataset.prompt] = Number(s.value);
      });
      return answer;
    }
    if (type === "ordering") {
      return Array.prototype.map.call(fs.querySelectorAll("li[data-option]"), function (li) {
        return Number(li.dataset.option);
      });
    }
    return null;
  }

  function applyAnswer(fs, answer) {
    var type = fs.dataset.qtype;
    if (type === "single" || type === "truefalse" || type === "multiple") {
      var chosen = Array.isArray(answer) ? answer : [answer];
      fs.querySelectorAll("input").forEach(function (i) {
        i.checked = chosen.indexOf(Number(i.value)) !== -1;
      });
    } else if (type === "shortanswer" || type === "numerical") {
      fs.querySelector("input[type=text]").value = answer || "";
    } else if (type === "matching") {
      fs.querySelectorAll("select[data-prompt]").forEach(function (s) {
        s.value = answer && answer[s.dataset.prompt] ? String(answer[s.dataset.prompt]) : "";
      });
    } else if (type === "ordering" && Array.isArray(answer)) {
      var list = fs.querySelector("ol.ordering");
      answer.forEach(function (id) {
        var li = list.querySelector('li[data-option="' + id + '"]');
        if (li) list.appendChild(li);
      });
    }
  }

  function record(fs) {
    if (closed) return;
    var id = fs.dataset.aq;
    var seq = (seqs[id] || 0) + 1;
    seqs[id] = seq;
    pending[id] = { answer: readAnswer(fs), seq: seq };
    persist();
    setState(fs, "saving");
    send(id);
  }

  function scheduleRetry() {
    if (retryTimer || closed) return;
    var delay = backoff + Math.floor(Math.random() * 500);
    backoff = Math.min(backoff * 2, 30000);
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flush();
    }, delay);
  }

  function flush() {
    Object.keys(pending).forEach(send);
  }

  function send(id) {
    var item = pending[id];
    if (!item || closed || inflight[id] >= item.seq) return;
    inflight[id] = item.seq;
    var fs = fieldset(id);
    setState(fs, "saving");
    window
      .fetch(saveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ question: Number(id), answer: item.answer, seq: item.seq }),
      })
      .then(function (r) {
        return r.json().then(function (data) {
          return { status: r.status, data: data };
        });
      })
      .then(function (res) {
        inflight[id] = 0;
        if (res.status === 200 && res.data.ok) {
          backoff = 1000;
          if (res.data.server_now) offset = res.data.server_now - Date.now();
          if (res.data.seq > (seqs[id] || 0)) seqs[id] = res.data.seq;
          var current = pending[id];
          if (current && current.seq <= res.data.seq) {
            delete pending[id];
            persist();
            setState(fs, "saved");
          } else if (current) {
            send(id); // a newer answer was given while this one was in flight
          }
        } else if (res.status === 409) {
          onClosed(res.data.error);
        } else if (res.status === 400) {
          delete pending[id]; // malformed: retrying cannot help
          persist();
          setState(fs, "pending");
        } else {
          throw new Error(String(res.status));
        }
      })
      .catch(function () {
        inflight[id] = 0;
        if (pending[id]) setState(fs, "pending");
        scheduleRetry();
      });
  }

  function onClosed(message) {
    if (closed) return;
    closed = true;
    pending = {};
    persist();
    warnEl.textContent = message || t.closed;
    warnEl.hidden = false;
    form.querySelectorAll("input, select, button[data-move]").forEach(function (el) {
      el.disabled = true;
    });
    window.setTimeout(function () {
      window.location.assign(resultUrl);
    }, 2500);
  }

  function submitAttempt() {
    if (submitting) return;
    submitting = true;
    window
      .fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf },
      })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then(function (data) {
        pending = {};
        persist();
        window.location.assign(data.result_url || resultUrl);
      })
      .catch(function () {
        submitting = false;
        window.setTimeout(submitAttempt, Math.min((backoff *= 2), 30000));
      });
  }

  function whenFlushed(maxWaitMs, done) {
    var started = Date.now();
    flush();
    (function check() {
      if (!Object.keys(pending).length || Date.now() - started > maxWaitMs) return done();
      window.setTimeout(check, 250);
    })();
  }

  // --- wire up ------------------------------------------------------------------------------
  form.querySelectorAll("fieldset[data-aq]").forEach(function (fs) {
    var id = fs.dataset.aq;
    seqs[id] = Number(fs.dataset.seq) || 0;
    var local = pending[id];
    if (local && local.seq > seqs[id]) {
      applyAnswer(fs, local.answer); // answer given offline before a reload: restore and resend
      seqs[id] = local.seq;
      setState(fs, "pending");
    } else if (local) {
      delete pending[id];
    }

    var debounce = null;
    fs.addEventListener("change", function () {
      window.clearTimeout(debounce);
      record(fs);
    });
    fs.addEventListener("input", function (e) {
      if (e.target.type !== "text") return;
      window.clearTimeout(debounce);
      setState(fs, "pending");
      debounce = window.setTimeout(function () {
        record(fs);
      }, 700);
    });
    fs.addEventListener("click", function (e) {
      var button = e.target.closest("button[data-move]");
      if (!button) return;
      var li = button.closest("li");
      var list = li.parentNode;
      if (button.dataset.move === "-1" && li.previousElementSibling) {
        list.insertBefore(li, li.previousElementSibling);
      } else if (button.dataset.move === "1" && li.nextElementSibling) {
        list.insertBefore(li.nextElementSibling, li);
      }
      button.focus();
      record(fs);
    });
  });
  persist();
  flush();

  window.addEventListener("online", function () {
    netEl.textContent = t.online;
    backoff = 1000;
    flush();
  });
  window.addEventListener("offline", function () {
    netEl.textContent = t.offline;
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (closed || submitting) return;
    whenFlushed(5000, function () {
      if (Object.keys(pending).length) {
        warnEl.textContent = t.unsent;
        warnEl.hidden = false;
        return;
      }
      if (window.confirm(t.confirm)) submitAttempt();
    });
  });

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function tick() {
    if (!deadline || !timerEl) return;
    var left = Math.max(0, Math.floor((deadline - (Date.now() + offset)) / 1000));
    var h = Math.floor(left / 3600);
    var m = Math.floor((left % 3600) / 60);
    timerEl.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(left % 60);
    if (left === 0 && !submitting && !closed) {
      warnEl.textContent = t.timeout;
      warnEl.hidden = false;
      // Within the server's grace period: send what is unsent, then submit.
      whenFlushed(8000, submitAttempt);
      return;
    }
    window.setTimeout(tick, 1000 - ((Date.now() + offset) % 1000));
  }
  tick();
})();
