/*
 * Drag and drop on the Kanban boards (deals and leads), with SortableJS served locally.
 *
 * The contract with the page: each column is [data-board-column] with data-move-value (the stage a
 * card dropped there moves to) and data-accepts="false" when it takes no drops; its cards sit in
 * [data-board-cards]; each card [data-board-card] carries the same small move form the board shows
 * without JavaScript (form[data-move-form] with a [data-move-field] select). A drop sets that
 * select to the column's value and submits the form: the server gets exactly what the no-script
 * form posts, answers with its usual redirect and flash (saved, or the reason it was refused), and
 * the board is drawn again from the server's truth.
 */
(function () {
  "use strict";
  if (typeof window.Sortable === "undefined") return;
  var columns = document.querySelectorAll("[data-board-column]");
  Array.prototype.forEach.call(columns, function (column) {
    var list = column.querySelector("[data-board-cards]");
    if (!list) return;
    window.Sortable.create(list, {
      group: { name: "board", pull: true, put: column.getAttribute("data-accepts") !== "false" },
      draggable: "[data-board-card]",
      // Links, buttons and the move form stay usable: a drag starts elsewhere on the card.
      filter: "a, button, select, input, label, option",
      preventOnFilter: false,
      animation: 150,
      onAdd: function (event) {
        var card = event.item;
        var form = card.querySelector("form[data-move-form]");
        var field = form && form.querySelector("[data-move-field]");
        var value = column.getAttribute("data-move-value");
        if (!form || !field || value === null) return window.location.reload();
        field.value = value;
        // A stage the card may not go to has no option: put the card back by drawing the board again.
        if (field.value !== value) return window.location.reload();
        card.setAttribute("aria-busy", "true");
        card.classList.add("opacity-50");
        if (typeof form.requestSubmit === "function") form.requestSubmit();
        else form.submit();
      },
    });
    column.classList.add("board-draggable");
  });
})();
