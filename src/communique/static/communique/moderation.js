/* Keyboard moderation for the moderation queue, over its plain forms (the
   queue works without this script):
   j / k  the next / previous comment
   a s d  press the comment's Approve, Spam or Delete button
   u      press "Undo my last action"
   ?      show or hide the list of keys
   and "Select all on this page" ticks the boxes without reloading.
   Keys typed into a field, or with Ctrl, Alt or Meta, are left alone. */
(function () {
  "use strict";
  var items = Array.prototype.slice.call(
    document.querySelectorAll(".moderation-list > .moderation-item[id^='comment-']")
  );
  var current = -1;
  var keys = document.getElementById("moderation-keys");
  if (keys) keys.hidden = false;

  function move(step) {
    if (!items.length) return;
    current = Math.max(0, Math.min(items.length - 1, current + step));
    items[current].focus();
    items[current].scrollIntoView({ block: "nearest" });
  }

  function press(action) {
    if (current < 0) return;
    var button = items[current].querySelector(
      ".one-click button[value='" + action + "']"
    );
    if (!button) return;
    // After the page comes back, the comment now at this place is current.
    remembered(String(current));
    button.click();
  }

  var PLACE = "communique-moderation-place";
  var place = remembered(null);
  if (place !== null && items.length) {
    current = Math.min(Number(place), items.length) - 1;
    move(1);
  }

  // Where the current comment was, kept for the next page of this tab: set
  // with a value, read (and forgotten) with null. Storage may be refused.
  function remembered(value) {
    try {
      if (value !== null) return sessionStorage.setItem(PLACE, value);
      var kept = sessionStorage.getItem(PLACE);
      sessionStorage.removeItem(PLACE);
      return kept;
    } catch (refused) {
      return null;
    }
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("focusin", function (event) {
    var item = event.target.closest(".moderation-item");
    var found = items.indexOf(item);
    if (found >= 0) current = found;
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    var undo = document.getElementById("undo-form");
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": press("approve"); break;
      case "s": press("spam"); break;
      case "d": press("delete"); break;
      case "u": if (undo) undo.requestSubmit(); break;
      case "?":
        if (keys) {
          keys.open = !keys.open;
          if (keys.open) keys.querySelector("summary").focus();
        }
        break;
      default: return;
    }
    event.preventDefault();
  });

  var selectAll = document.querySelector(".select-all");
  if (selectAll) {
    selectAll.addEventListener("click", function (event) {
      var tick = selectAll.dataset.select === "all";
      document.querySelectorAll("input[name=comments][form=bulk-form]").forEach(
        function (box) { box.checked = tick; }
      );
      selectAll.dataset.select = tick ? "none" : "all";
      selectAll.textContent = selectAll.dataset[tick ? "noneLabel" : "allLabel"];
      event.preventDefault();
    });
  }
})();
