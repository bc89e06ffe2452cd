// The form builder's drag and drop (views/forms/show.hbs): SortableJS reorders the field list,
// then the new order is posted like the up/down buttons would (a plain form post, so the server
// answers with the same redirect and flash). Without JavaScript the arrows do the same job.
(function () {
  "use strict";
  var list = document.getElementById("form-fields");
  if (!list || typeof window.Sortable === "undefined") return;
  var token = document.querySelector('meta[name="csrf-token"]');
  window.Sortable.create(list, {
    handle: ".drag-handle",
    animation: 150,
    onEnd: function (event) {
      if (event.oldIndex === event.newIndex) return;
      var keys = Array.prototype.map.call(list.querySelectorAll("li[data-key]"), function (item) {
        return item.getAttribute("data-key");
      });
      var form = document.createElement("form");
      form.method = "post";
      form.action = list.getAttribute("data-order-url");
      [
        ["_csrf", token ? token.getAttribute("content") : ""],
        ["order", keys.join(",")],
      ].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        form.appendChild(input);
      });
      document.body.appendChild(form);
      form.submit();
    },
  });
})();
