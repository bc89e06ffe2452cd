/*
 * The post composer (views/social/form.hbs): a live character count per chosen account, against
 * that network's limit (data-limit), of the account's own text when it has one, else the post's;
 * and a plain-text preview of what each network will show. The server checks the same limits.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-composer]");
  if (!form) return;
  var main = form.querySelector("[data-post-text]");
  var length = function (text) {
    return Array.from(text).length;
  };
  function update() {
    var accounts = form.querySelectorAll("[data-account]");
    Array.prototype.forEach.call(accounts, function (account) {
      var limit = Number(account.getAttribute("data-limit"));
      var variant = account.querySelector("[data-variant]");
      var own = variant && variant.value.trim();
      var text = own || (main ? main.value.trim() : "");
      var counter = account.querySelector("[data-counter]");
      var check = account.querySelector("[data-account-check]");
      var count = length(text);
      if (counter) {
        counter.textContent = count + " / " + limit + (own ? " (own text)" : "");
        counter.className =
          "small ms-1 " + (count > limit ? "text-danger fw-semibold" : "text-secondary");
        if (check && !check.checked) counter.className += " opacity-50";
      }
      var preview = account.querySelector("[data-preview]");
      if (preview) preview.textContent = text || "(empty)";
    });
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
