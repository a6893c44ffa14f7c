// Follow the screening pack while it is being built, then show the download.
(function () {
  "use strict";
  var box = document.querySelector("[data-pack]");
  var bar = box && box.querySelector("[data-pack-progress]");
  if (!bar) { return; }
  var label = box.querySelector("[data-pack-status]");
  function poll() {
    fetch(box.getAttribute("data-state-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        if (state.status === "queued" || state.status === "running") {
          bar.value = state.progress;
          if (label) { label.textContent = state.step; }
          setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
