// Small enhancements only: every page works without this file.
(function () {
  "use strict";

  // htmx requests carry the page's CSRF token, as forms do with their hidden field.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
  });
})();
