// While a version is being checked and processed, follow its progress, then show the result.
(function () {
  "use strict";
  var link = document.querySelector("link[data-state-url]");
  var stateUrl = link ? link.getAttribute("href") : null;
  var bar = document.querySelector("[data-version-progress]");
  var timer = null;

  function poll() {
    if (!stateUrl) { return; }
    fetch(stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        var version = state.version;
        if (version && version.status === "processing") {
          var current = document.querySelector("[data-version-progress]");
          if (current) { current.value = version.progress; }
          var status = document.querySelector("[data-upload-status]");
          if (status && version.progress) { status.textContent = status.textContent.split(" (")[0] + " (" + version.progress + " %)"; }
          timer = setTimeout(poll, 2000);
        } else if (version) {
          window.location.reload();
        }
      })
      .catch(function () { timer = setTimeout(poll, 5000); });
  }

  document.addEventListener("film:uploaded", function () { clearTimeout(timer); timer = setTimeout(poll, 1000); });
  if (bar) { timer = setTimeout(poll, 2000); }
})();
