// The juror's scores: each change is kept on the phone at once and sent in the background;
// on a weak connection it waits on the phone and leaves again when the network is back.
(function () {
  "use strict";
  var form = document.querySelector("[data-jury-scores]");
  if (!form) { return; }
  var key = form.getAttribute("data-storage-key");
  var statusBox = form.querySelector("[data-jury-status]");
  var sending = false, again = false, retry = null;

  function say(text, kind) {
    statusBox.textContent = text || "";
    statusBox.className = "roll-status" + (kind ? " is-" + kind : "");
  }
  function snapshot() {
    var values = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token") { values[name] = value; }
    });
    return values;
  }
  function keep() {
    try { localStorage.setItem(key, JSON.stringify(snapshot())); } catch (e) { /* private mode */ }
  }
  function forget() {
    try { localStorage.removeItem(key); } catch (e) { /* private mode */ }
  }
  function restore() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { forget(); }
    if (!saved) { return false; }
    Object.keys(saved).forEach(function (name) {
      var fields = form.querySelectorAll("[name='" + name + "']");
      fields.forEach(function (field) {
        if (field.type === "radio") { field.checked = field.value === saved[name]; }
        else if (field.type === "checkbox") { field.checked = true; }
        else { field.value = saved[name]; }
      });
    });
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (!(box.name in saved)) { box.checked = false; }
    });
    return true;
  }
  function send() {
    if (sending) { again = true; return; }
    sending = true;
    clearTimeout(retry);
    say(form.getAttribute("data-msg-saving"), "pending");
    var body = new FormData(form);
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) {
          var message = answer && answer.error && answer.error.message;
          throw new Error(message || form.getAttribute("data-msg-offline"));
        }
        if (!again) { forget(); }
        say(answer.message || form.getAttribute("data-msg-saved"), "success");
      });
    }).catch(function (error) {
      var offline = error instanceof TypeError;
      say(offline ? form.getAttribute("data-msg-offline") : error.message, "error");
      if (offline) { retry = setTimeout(send, 15000); }
    }).finally(function () {
      sending = false;
      if (again) { again = false; send(); }
    });
  }
  var conflict = form.querySelector("[data-conflict-toggle]");
  var detail = form.querySelector("[data-conflict-detail]");
  function showConflict() { if (conflict && detail) { detail.hidden = !conflict.checked; } }

  if (restore()) { say(form.getAttribute("data-msg-restored"), "warning"); showConflict(); send(); }
  var typing = null;
  form.addEventListener("change", function () { showConflict(); keep(); send(); });
  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text") { return; }
    keep();
    clearTimeout(typing);
    typing = setTimeout(function () { typing = null; send(); }, 1200);  // sent at a pause
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); keep(); send(); });
  // Leaving the page while a comment waits for its pause: send it on the way out.
  window.addEventListener("pagehide", function () {
    if (typing && navigator.sendBeacon) {
      clearTimeout(typing);
      typing = null;
      navigator.sendBeacon(form.action, new FormData(form));
    }
  });
  window.addEventListener("online", function () {
    if (statusBox.classList.contains("is-error")) { send(); }
  });
})();
