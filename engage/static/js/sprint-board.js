// Sprint board, optional: drag a card to another column, or, with a card's title focused,
// press Shift and the left or right arrow key. Either posts the card's own form (the one its
// "Move to …" buttons post, CSRF token included), then puts the board the server sends back
// in place and says what moved. Anything unexpected posts the form the ordinary way, so the
// server's page (and its translated message) is shown. The buttons work without this script.
(function () {
  "use strict";
  var board = document.getElementById("sprint-board");
  var status = document.getElementById("board-status");
  var hint = document.getElementById("board-hint");
  if (!board || !status || !window.fetch || !window.DOMParser) { return; }
  var busy = false, dragged = null;

  function columns() { return [].slice.call(board.querySelectorAll(".board-column[data-state]")); }
  function cardOf(node) { return node && node.closest ? node.closest(".card") : null; }
  function columnOf(node) { return node && node.closest ? node.closest(".board-column[data-state]") : null; }
  function buttonFor(card, state) { return card.querySelector("form button[name=state][value='" + state + "']"); }
  function title(card) { var link = card.querySelector("a"); return link ? link.textContent.trim() : ""; }

  // Only cards that can move (a member who may edit, a sprint not finished) get dragged.
  function prepare() {
    [].forEach.call(board.querySelectorAll(".card"), function (card) {
      if (!card.querySelector("form button[name=state]")) { return; }
      card.setAttribute("draggable", "true");
      var link = card.querySelector("a");
      if (link) { link.setAttribute("draggable", "false"); }
    });
    board.classList.add("board--movable");
  }

  function say(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  // The ordinary way: the browser posts the form as if the button had been pressed.
  function fallback(button) {
    if (button.form.requestSubmit) { button.form.requestSubmit(button); } else { button.click(); }
  }

  function move(card, state, focus) {
    var button = buttonFor(card, state);
    if (busy || !button) { return; }
    busy = true;
    board.setAttribute("aria-busy", "true");
    var id = card.id, data = new FormData(button.form);
    data.append("state", state);
    fetch(button.form.action, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("sprint-board");
        var column = fresh && fresh.querySelector(".board-column[data-state='" + state + "']");
        var moved = column && column.querySelector("#" + id);
        if (!moved) { throw new Error("not moved"); }
        var log = document.getElementById("sprint-decision-log");
        var freshLog = doc.getElementById("sprint-decision-log");
        board.replaceWith(document.adoptNode(fresh));
        board = fresh;
        if (log && freshLog) { log.replaceWith(document.adoptNode(freshLog)); }
        attach();
        prepare();
        busy = false;
        var card = document.getElementById(id);
        if (focus && card.querySelector("a")) { card.querySelector("a").focus(); }
        say((column.getAttribute("data-moved") || "") + " " + title(card));
      })
      .catch(function () {
        busy = false;
        board.removeAttribute("aria-busy");
        fallback(button);
      });
  }

  function clearTargets() {
    columns().forEach(function (column) { column.classList.remove("is-drop-target"); });
  }

  function onDragStart(event) {
    var card = cardOf(event.target);
    if (busy || !card || card.getAttribute("draggable") !== "true") { return; }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", title(card));
    card.classList.add("is-dragging");
  }

  function onDragOver(event) {
    var column = columnOf(event.target);
    if (!dragged || !column || column === columnOf(dragged)) { clearTargets(); return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("is-drop-target")) {
      clearTargets();
      column.classList.add("is-drop-target");
    }
  }

  function onDrop(event) {
    var column = columnOf(event.target), card = dragged;
    event.preventDefault();
    clearTargets();
    dragged = null;
    if (card) { card.classList.remove("is-dragging"); }
    if (card && column && column !== columnOf(card)) {
      move(card, column.getAttribute("data-state"), false);
    }
  }

  function onDragEnd() {
    clearTargets();
    if (dragged) { dragged.classList.remove("is-dragging"); }
    dragged = null;
  }

  // Shift + the arrow key towards the column: right is forwards in English, left in Arabic.
  function onKeyDown(event) {
    if (!event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") { return; }
    var card = cardOf(event.target);
    if (!card || card.getAttribute("draggable") !== "true") { return; }
    var all = columns(), here = all.indexOf(columnOf(card));
    var rtl = getComputedStyle(board).direction === "rtl";
    var step = (event.key === "ArrowRight") !== rtl ? 1 : -1;
    var next = all[here + step];
    event.preventDefault();
    if (next) { move(card, next.getAttribute("data-state"), true); }
  }

  function attach() {
    board.addEventListener("dragstart", onDragStart);
    board.addEventListener("dragover", onDragOver);
    board.addEventListener("drop", onDrop);
    board.addEventListener("dragend", onDragEnd);
    board.addEventListener("keydown", onKeyDown);
  }

  attach();
  prepare();
  if (hint && board.querySelector(".card[draggable=true]")) { hint.hidden = false; }
})();
