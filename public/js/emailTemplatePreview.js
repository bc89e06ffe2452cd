// The e-mail template editor's live preview: a pause in typing (or another customer chosen)
// submits the form to the preview frame through the Preview button (its formaction/formtarget),
// which also works without this script when pressed. Nothing is saved by a preview.
(function () {
  "use strict";
  var form = document.querySelector("[data-email-preview]");
  if (!form) return;
  var button = form.querySelector("[data-preview-button]");
  if (!button || typeof form.requestSubmit !== "function") return;
  var timer = null;
  function refresh() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      timer = null;
      form.requestSubmit(button);
    }, 400);
  }
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
