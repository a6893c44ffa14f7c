// Plays the programme in order: a title card, then the film; Space pauses, arrows move.
(function () {
  "use strict";
  var root = document.querySelector("[data-projection]");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-playlist] li"));
  var card = root.querySelector("[data-card]");
  var title = root.querySelector("[data-card-title]");
  var meta = root.querySelector("[data-card-meta]");
  var screen = root.querySelector("[data-screen]");
  var help = root.querySelector("[data-help]");
  var CARD_SECONDS = 6;
  var index = -1;
  var timer = null;
  var paused = false;

  help.textContent = root.getAttribute("data-msg-help");
  setTimeout(function () { help.classList.add("is-hidden"); }, 6000);

  function showCard(item) {
    screen.pause();
    screen.hidden = true;
    card.hidden = false;
    title.textContent = item.getAttribute("data-title");
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
    screen.load();
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
    }
    help.classList.remove("is-hidden");
    setTimeout(function () { help.classList.add("is-hidden"); }, 3000);
  });

  go(0);
})();
