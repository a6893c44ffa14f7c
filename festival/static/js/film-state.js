// While a version is being checked, then while its web version is prepared, follow the
// progress. The page reloads when the check ends (thumbnails to choose, or problems to read)
// and when the web version is ready, unless someone is watching the uploaded file meanwhile.
(function () {
  "use strict";
  var link = document.querySelector("link[data-state-url]");
  var stateUrl = link ? link.getAttribute("href") : null;
  var timer = null;
  var checking = !!document.querySelector("[data-version-progress]");

  function watching() {
    var video = document.querySelector("video.player");
    return video && !video.paused && !video.ended;
  }

  function poll() {
    if (!stateUrl) { return; }
    fetch(stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        var version = state.version;
        if (!version) { return; }
        if (version.status === "processing") {
          var current = document.querySelector("[data-version-progress]");
          if (current) { current.value = version.progress; }
          var status = document.querySelector("[data-upload-status]");
          if (status && version.progress) { status.textContent = status.textContent.split(" (")[0] + " (" + version.progress + " %)"; }
          checking = true;
          timer = setTimeout(poll, 1000);
        } else if (checking) {
          window.location.reload();  // checked: valid with its thumbnails, or refused
        } else if (version.status === "valid" && !version.rendition.ready && !version.rendition.failed) {
          var bar = document.querySelector("[data-rendition-progress]");
          if (bar) { bar.value = version.progress; }
          timer = setTimeout(poll, 2000);
        } else if (document.querySelector("[data-rendition-progress]")) {
          if (watching()) {
            var box = document.querySelector("[data-rendition-state]");
            if (box) { box.textContent = box.getAttribute("data-ready-text"); }
          } else {
            window.location.reload();
          }
        }
      })
      .catch(function () { timer = setTimeout(poll, 5000); });
  }

  // A new version is on its way: whatever its state at the next look (the check may already be
  // over), the page reloads to show it.
  document.addEventListener("film:uploaded", function () { checking = true; clearTimeout(timer); timer = setTimeout(poll, 500); });
  if (document.querySelector("[data-version-progress], [data-rendition-progress]")) { timer = setTimeout(poll, 1000); }
})();
