// The awards on the room's screen: the vote's QR code with the live count of ballots, then the
// results and one envelope per award (the award's name, then, on →, the film).
(function () {
  "use strict";
  var root = document.querySelector("[data-awards-projection]");
  if (!root) { return; }
  var slides = Array.prototype.slice.call(root.querySelectorAll("[data-slide]"));
  var help = root.querySelector("[data-help]");
  var index = 0;

  help.textContent = root.getAttribute("data-msg-help");
  setTimeout(function () { help.classList.add("is-hidden"); }, 6000);

  function show(next) {
    if (next < 0 || next >= slides.length) { return; }
    slides.forEach(function (slide, i) { slide.hidden = i !== next; });
    index = next;
  }
  function forward() {
    var slide = slides[index];
    var film = slide && slide.querySelector("[data-envelope-film]");
    if (film && film.hidden) { film.hidden = false; return; }  // the envelope opens first
    show(index + 1);
  }
  function back() {
    var slide = slides[index];
    var film = slide && slide.querySelector("[data-envelope-film]");
    if (film && !film.hidden) { film.hidden = true; return; }
    show(index - 1);
  }
  document.addEventListener("keydown", function (event) {
    if (event.target.closest("form")) { return; }
    if (event.key === "ArrowRight" || event.key === " " || event.key === "PageDown") { event.preventDefault(); forward(); }
    else if (event.key === "ArrowLeft" || event.key === "PageUp") { event.preventDefault(); back(); }
    else if (event.key === "f" || event.key === "F") {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen(); }
    }
  });
  root.addEventListener("click", forward);
  show(0);

  // While the vote is open, the count of ballots follows; if it closes elsewhere, reload.
  var counter = root.querySelector("[data-ballots]");
  var status = root.getAttribute("data-status");
  function poll() {
    fetch(root.getAttribute("data-state-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        if (state.status !== status) { window.location.reload(); return; }
        if (counter) { counter.textContent = root.getAttribute("data-msg-ballots").replace("{n}", state.ballots); }
      })
      .catch(function () { /* the next poll will tell */ });
  }
  if (status !== "closed") { setInterval(poll, 3000); }
})();
