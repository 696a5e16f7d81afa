/* The job board: drag a card to another column. Each card keeps its small "Move" form,
   which works without this script; this only adds dragging, and posts that same form. */
(function () {
  "use strict";
  var board = document.querySelector("[data-testid=board]");
  if (!board) { return; }
  var dragged = null;

  function countOf(list) {
    var heading = list.closest(".board-column");
    return heading ? heading.querySelector(".count") : null;
  }

  function refreshCounts() {
    board.querySelectorAll(".job-cards").forEach(function (list) {
      var count = countOf(list);
      if (count) { count.textContent = String(list.querySelectorAll(".job-card").length); }
    });
  }

  function move(card, list) {
    var select = card.querySelector(".move-form select[name=stage]");
    var stage = list.getAttribute("data-stage");
    if (!stage || select.value === stage) { return; }
    select.value = stage;
    moveTo(card, list, stage);
  }

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  board.parentNode.insertBefore(status, board);

  function announce(card, list) {
    var title = card.querySelector(".job-card-title");
    var heading = list.closest(".board-column").querySelector("h2");
    status.textContent = (title ? title.textContent : "The job") + " moved to " +
      heading.firstChild.textContent.trim() + ".";
  }

  function moveTo(card, list, stage) {
    var form = card.querySelector(".move-form");
    var focused = card.contains(document.activeElement) ? document.activeElement : null;
    list.insertBefore(card, list.firstChild);
    if (focused) { focused.focus({ preventScroll: true }); }
    refreshCounts();
    card.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      card.removeAttribute("aria-busy");
      if (!response.ok) { throw new Error("move failed"); }
      card.setAttribute("data-moved", stage);
      announce(card, list);
    }).catch(function () {
      // Fall back to the plain form, which reloads the board with a message.
      form.submit();
    });
  }

  board.querySelectorAll(".job-card").forEach(function (card) {
    card.setAttribute("draggable", "true");
    card.addEventListener("dragstart", function (event) {
      dragged = card;
      card.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.getAttribute("data-job"));
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("dragging");
      dragged = null;
    });
  });

  // The small "Move" form, sent in the background: the card moves to its new column and the
  // page stays where the person was. Stages without a column (closed ones) reload the board,
  // which brings the person back to the card (the redirect names it in the address).
  document.querySelectorAll(".job-card .move-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var stage = form.querySelector("select[name=stage]").value;
      var list = board.querySelector(".job-cards[data-stage='" + stage + "']");
      var card = form.closest(".job-card");
      if (!list || !card || !board.contains(card)) { return; }
      event.preventDefault();
      if (list.contains(card)) { return; }
      moveTo(card, list, stage);
    });
  });

  board.querySelectorAll(".board-column").forEach(function (column) {
    var list = column.querySelector(".job-cards");
    column.addEventListener("dragover", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      column.classList.add("drop-target");
    });
    column.addEventListener("dragleave", function (event) {
      if (!column.contains(event.relatedTarget)) { column.classList.remove("drop-target"); }
    });
    column.addEventListener("drop", function (event) {
      event.preventDefault();
      column.classList.remove("drop-target");
      if (dragged) { move(dragged, list); }
    });
  });
})();
