// Roll call: saves the whole sheet in one request without leaving the page, and never loses
// what was ticked: every change is kept on the device until the server confirms the save.
(function () {
  "use strict";
  var form = document.querySelector("[data-roll-call]");
  if (!form) { return; }
  var key = form.getAttribute("data-storage-key");
  var statusBox = form.querySelector("[data-roll-status]");
  var countBox = form.querySelector("[data-roll-count]");
  var submit = form.querySelector("button[type=submit]");

  function say(text, kind) {
    statusBox.textContent = text || "";
    statusBox.className = "roll-status" + (kind ? " is-" + kind : "");
  }

  function currentMarks() {
    var marks = {};
    form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      marks[input.name] = input.value;
    });
    return marks;
  }

  function remember() {
    try { localStorage.setItem(key, JSON.stringify(currentMarks())); } catch (e) { /* private mode */ }
  }

  function forget() {
    try { localStorage.removeItem(key); } catch (e) { /* private mode */ }
  }

  function updateCount() {
    var rows = form.querySelectorAll(".roll-row").length;
    var marks = currentMarks();
    var present = 0, marked = 0;
    Object.keys(marks).forEach(function (name) {
      marked += 1;
      if (marks[name] === "present" || marks[name] === "late") { present += 1; }
    });
    countBox.textContent = form.getAttribute("data-msg-count")
      .replace("{present}", present).replace("{marked}", marked).replace("{total}", rows);
  }

  // Ticks kept from a save that failed (or a page closed too early) come back first.
  try {
    var saved = JSON.parse(localStorage.getItem(key) || "null");
    if (saved) {
      var differs = false;
      Object.keys(saved).forEach(function (name) {
        var input = form.querySelector("input[name='" + name + "'][value='" + saved[name] + "']");
        if (input && !input.checked) { input.checked = true; differs = true; }
      });
      if (differs) { say(form.getAttribute("data-msg-restored"), "warning"); } else { forget(); }
    }
  } catch (e) { forget(); }
  updateCount();

  form.addEventListener("change", function () {
    remember();
    updateCount();
    say(form.getAttribute("data-msg-unsaved"), "pending");
  });

  form.querySelectorAll("[data-mark-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      var value = button.getAttribute("data-mark-all");
      form.querySelectorAll("input[type=radio][value='" + value + "']").forEach(function (input) {
        var group = form.querySelectorAll("input[name='" + input.name + "']:checked");
        if (group.length === 0) { input.checked = true; }
      });
      form.dispatchEvent(new Event("change"));
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    remember();
    submit.disabled = true;
    say(form.getAttribute("data-msg-saving"), "pending");
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var message = body && body.error && body.error.message;
          throw new Error(message || form.getAttribute("data-msg-failed"));
        }
        forget();
        say(body.message, "success");
      });
    }).catch(function (error) {
      var offline = error instanceof TypeError;
      say(offline ? form.getAttribute("data-msg-failed") : error.message, "error");
    }).finally(function () {
      submit.disabled = false;
    });
  });

  window.addEventListener("online", function () {
    if (statusBox.classList.contains("is-error")) { form.requestSubmit(); }
  });
})();
