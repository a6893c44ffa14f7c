// The share button: the phone's own share sheet (Web Share API), or else the link copied.
(function () {
  "use strict";
  document.querySelectorAll("[data-share]").forEach(function (box) {
    var url = box.getAttribute("data-share-url");
    var canShare = typeof navigator.share === "function";
    var canCopy = navigator.clipboard && typeof navigator.clipboard.writeText === "function";
    if (!canShare && !canCopy) {
      box.hidden = true;
      return;
    }
    box.classList.remove("share-pending");
    var status = box.querySelector(".share-status");
    box.querySelector("button").addEventListener("click", function () {
      if (canShare) {
        navigator.share({ title: document.title, url: url }).catch(function () {});
        return;
      }
      navigator.clipboard.writeText(url).then(function () {
        status.textContent = box.getAttribute("data-copied");
      });
    });
  });
})();
