// Follow a file a background job is preparing (the screening pack, the edition's
// certificates), then reload the page to show its download. Each box says where to ask.
(function () {
  "use strict";
  function follow(box) {
    var bar = box.querySelector("[data-preparing-progress]");
    if (!bar) { return; }
    var label = box.querySelector("[data-preparing-step]");
    function poll() {
      fetch(box.getAttribute("data-state-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (state) {
          if (state.status === "queued" || state.status === "running") {
            bar.value = state.progress;
            bar.textContent = state.progress + " %";
            if (label) { label.textContent = state.step; }
            setTimeout(poll, 2000);
          } else {
            window.location.reload();
          }
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 2000);
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-preparing]"), follow);
})();
