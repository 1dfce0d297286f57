// Meeting view: Page Down / Page Up (or j / k) move to the next or previous part of the
// meeting, as a presenter's remote does. The links already do this without JavaScript.
(function () {
  "use strict";
  var parts = Array.prototype.slice.call(document.querySelectorAll(".meeting > section[id]"));
  if (!parts.length) { return; }
  function current() {
    var index = parts.findIndex(function (part) { return "#" + part.id === location.hash; });
    return index < 0 ? -1 : index;
  }
  function go(step) {
    var next = Math.min(Math.max(current() + step, 0), parts.length - 1);
    location.hash = "#" + parts[next].id;
    parts[next].focus();
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    if (event.key === "PageDown" || event.key === "j") { event.preventDefault(); go(1); }
    if (event.key === "PageUp" || event.key === "k") { event.preventDefault(); go(-1); }
  });
})();
