/*
 * Drag to reschedule on the social calendar (views/social/calendar.hbs), with native HTML5 drag and
 * drop. Each scheduled post's chip carries the small reschedule form the server also takes without
 * script (form[data-move-form]); a drop on a day puts that day and the post's own time into the
 * form and submits it. The server answers with its usual redirect and flash — moved, or why not
 * (a past time, a post that started publishing) — and the calendar is drawn again from its truth.
 */
(function () {
  "use strict";
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var chip = event.target.closest && event.target.closest("[data-draggable]");
    if (!chip) return;
    dragged = chip;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", chip.getAttribute("data-post-id"));
  });
  document.addEventListener("dragend", function () {
    dragged = null;
  });
  var days = document.querySelectorAll("[data-drop]");
  Array.prototype.forEach.call(days, function (day) {
    day.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      day.classList.add("social-drop-over");
    });
    day.addEventListener("dragleave", function () {
      day.classList.remove("social-drop-over");
    });
    day.addEventListener("drop", function (event) {
      event.preventDefault();
      day.classList.remove("social-drop-over");
      if (!dragged) return;
      var form = dragged.querySelector("form[data-move-form]");
      var field = form && form.querySelector("[data-move-field]");
      if (!form || !field) return;
      field.value = day.getAttribute("data-day") + "T" + field.getAttribute("data-time");
      day.appendChild(dragged);
      dragged.classList.add("opacity-50");
      form.submit();
    });
  });
})();
