// Plays the programme in order: a title card, then the film; Space pauses, arrows move,
// S shows or hides the film's subtitles (the hall's track, chosen by the server).
(function () {
  "use strict";
  var root = document.querySelector("[data-projection]");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-playlist] li"));
  var card = root.querySelector("[data-card]");
  var title = root.querySelector("[data-card-title]");
  var meta = root.querySelector("[data-card-meta]");
  var team = root.querySelector("[data-card-team]");
  var screen = root.querySelector("[data-screen]");
  var help = root.querySelector("[data-help]");
  var CARD_SECONDS = 6;
  var index = -1;
  var timer = null;
  var paused = false;
  var showSubtitles = false;

  function say(text) {
    help.textContent = text;
    help.classList.remove("is-hidden");
  }

  function applySubtitles() {
    for (var i = 0; i < screen.textTracks.length; i++) {
      screen.textTracks[i].mode = showSubtitles ? "showing" : "hidden";
    }
  }

  function loadSubtitles(item) {
    Array.prototype.slice.call(screen.querySelectorAll("track")).forEach(function (t) { t.remove(); });
    var src = item.getAttribute("data-subtitles");
    if (!src) { return; }
    var track = document.createElement("track");
    track.kind = "subtitles";
    track.srclang = item.getAttribute("data-subtitles-lang");
    track.src = src;
    screen.appendChild(track);
    applySubtitles();
  }

  help.textContent = root.getAttribute("data-msg-help");
  setTimeout(function () { help.classList.add("is-hidden"); }, 6000);

  function showCard(item) {
    screen.pause();
    screen.hidden = true;
    card.hidden = false;
    title.textContent = item.getAttribute("data-title");
    team.textContent = item.getAttribute("data-team") || "";
    meta.textContent = item.getAttribute("data-meta");
  }

  function go(next) {
    clearTimeout(timer);
    if (next < 0 || next >= items.length) { return; }
    index = next;
    var item = items[index];
    showCard(item);
    if (item.getAttribute("data-kind") !== "film") { return; }  // moments wait for →
    screen.src = item.getAttribute("data-src");
    loadSubtitles(item);
    screen.load();
    applySubtitles();
    timer = setTimeout(function () {
      if (paused) { return; }
      card.hidden = true;
      screen.hidden = false;
      screen.play();
    }, CARD_SECONDS * 1000);
  }

  screen.addEventListener("ended", function () { go(index + 1); });

  document.addEventListener("keydown", function (event) {
    if (event.key === " " || event.key === "k") {
      event.preventDefault();
      paused = !paused;
      if (!screen.hidden) { if (paused) { screen.pause(); } else { screen.play(); } }
      else if (!paused && items[index] && items[index].getAttribute("data-kind") === "film") { go(index); }
    } else if (event.key === "ArrowRight" || event.key === "n") {
      paused = false; go(index + 1);
    } else if (event.key === "ArrowLeft" || event.key === "p") {
      paused = false; go(Math.max(0, index - 1));
    } else if (event.key === "f" || event.key === "F") {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen(); }
    } else if (event.key === "s" || event.key === "S") {
      showSubtitles = !showSubtitles;
      applySubtitles();
      var item = items[index];
      say(item && !item.getAttribute("data-subtitles") ? root.getAttribute("data-msg-no-subtitles")
        : root.getAttribute(showSubtitles ? "data-msg-subtitles-on" : "data-msg-subtitles-off"));
      setTimeout(function () { help.classList.add("is-hidden"); }, 3000);
      return;
    } else {
      help.textContent = root.getAttribute("data-msg-help");
    }
    help.classList.remove("is-hidden");
    setTimeout(function () { help.classList.add("is-hidden"); }, 3000);
  });

  go(0);
})();
