// Reorder a block's items by dragging them (mouse, pen or finger); the ↑ ↓ buttons remain for
// the keyboard. The new order is saved at once; start times refresh on reload.
(function () {
  "use strict";
  var root = document.querySelector("[data-programme]");
  if (!root) { return; }
  var token = root.querySelector("[data-csrf]").value;

  function save(list) {
    var ids = Array.prototype.map.call(list.querySelectorAll("[data-item-id]"), function (li) {
      return parseInt(li.getAttribute("data-item-id"), 10);
    });
    return fetch(list.getAttribute("data-order-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify({ items: ids })
    }).then(function (response) {
      if (!response.ok) { throw new Error("save failed"); }
      window.location.reload();
    }).catch(function () { window.alert(root.getAttribute("data-msg-failed")); });
  }

  root.querySelectorAll("[data-sortable]").forEach(function (list) {
    var dragged = null;
    list.addEventListener("pointerdown", function (event) {
      var handle = event.target.closest(".drag-handle");
      if (!handle) { return; }
      dragged = handle.closest("[data-item-id]");
      dragged.classList.add("is-dragging");
      list.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    list.addEventListener("pointermove", function (event) {
      if (!dragged) { return; }
      var over = document.elementFromPoint(event.clientX, event.clientY);
      var target = over && over.closest("[data-item-id]");
      if (!target || target === dragged || target.parentNode !== list) { return; }
      var box = target.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? target.nextSibling : target);
    });
    function drop() {
      if (!dragged) { return; }
      dragged.classList.remove("is-dragging");
      dragged = null;
      save(list);
    }
    list.addEventListener("pointerup", drop);
    list.addEventListener("pointercancel", drop);
  });
})();
