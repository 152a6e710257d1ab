// Keyboard shortcuts for the moderation queue. Everything here is also reachable with plain links and
// buttons; this only saves keystrokes. j/k move between items, a/r/f press the item's approve/reject/feature
// button (reject first asks for a reason in the item's field), x toggles selection, o opens the item.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".mod-item"));
  if (!items.length) { return; }
  var current = -1;

  function focusItem(index) {
    if (index < 0 || index >= items.length) { return; }
    if (current >= 0) { items[current].classList.remove("is-current"); }
    current = index;
    items[current].classList.add("is-current");
    items[current].focus();
    items[current].scrollIntoView({ block: "nearest" });
  }

  function press(key) {
    if (current < 0) { return; }
    var button = items[current].querySelector('button[data-key="' + key + '"]');
    if (!button) { return; }
    if (key === "r") {
      var reason = items[current].querySelector(".reason-input");
      if (reason && !reason.value.trim()) { reason.focus(); return; }
    }
    button.click();
  }

  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    switch (event.key) {
      case "j": focusItem(current + 1); break;
      case "k": focusItem(Math.max(current - 1, 0)); break;
      case "a": case "r": case "f": press(event.key); break;
      case "x":
        if (current >= 0) {
          var box = items[current].querySelector('input[type="checkbox"]');
          if (box) { box.checked = !box.checked; }
        }
        break;
      case "o":
        if (current >= 0) { items[current].querySelector(".item-open").click(); }
        break;
      default: return;
    }
    event.preventDefault();
  });
})();
