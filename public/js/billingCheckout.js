// The payment page (views/billing/pay.hbs): opens Razorpay Checkout for the order the server
// created, in redirect mode — Razorpay posts the payment and its signature to our callback, which
// verifies it against the stored order id. No inline script: everything comes from data-*.
(function () {
  "use strict";
  var button = document.querySelector("[data-checkout]");
  if (!button) return;
  function postFailure(url, error) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = url;
    var fields = {
      "error[code]": error.code,
      "error[description]": error.description,
      "error[reason]": error.reason,
      "error[source]": error.source,
      "error[step]": error.step,
      "error[metadata]": error.metadata ? JSON.stringify(error.metadata) : undefined,
    };
    Object.keys(fields).forEach(function (name) {
      if (fields[name] === undefined || fields[name] === null) return;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = String(fields[name]);
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }
  function ready() {
    if (typeof window.Razorpay !== "function") {
      button.textContent = "Checkout could not load. Reload the page to try again.";
      return;
    }
    button.disabled = false;
    button.addEventListener("click", function () {
      var data = button.dataset;
      var checkout = new window.Razorpay({
        key: data.key,
        amount: Number(data.amount),
        currency: "INR",
        order_id: data.orderId,
        name: data.name,
        prefill: { email: data.email },
        callback_url: data.callbackUrl,
        redirect: true,
      });
      // Handler mode reports a failure here instead of redirecting: it goes to the same callback
      // as redirect mode's error[…] fields, so the attempt records it and the page offers a retry.
      if (typeof checkout.on === "function")
        checkout.on("payment.failed", function (response) {
          postFailure(data.callbackUrl, (response && response.error) || {});
        });
      checkout.open();
    });
  }
  if (document.readyState === "complete") ready();
  else window.addEventListener("load", ready);
})();
