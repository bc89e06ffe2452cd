// Live strength meter for inputs marked data-password-meter; mirrors src/lib/passwordPolicy.ts.
(function () {
  "use strict";
  var labels = ["Very weak", "Weak", "Fair", "Good", "Strong"];
  var colors = ["bg-danger", "bg-danger", "bg-warning", "bg-info", "bg-success"];

  function classes(p) {
    return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter(function (re) {
      return re.test(p);
    }).length;
  }

  function score(p) {
    if (p.length < 10) return p.length < 6 ? 0 : 1;
    var s = classes(p) >= 3 ? 3 : 2;
    if (p.length >= 16) s += 1;
    return Math.min(s, 4);
  }

  document.querySelectorAll("[data-password-meter]").forEach(function (input) {
    var meter = document.getElementById(input.getAttribute("data-password-meter"));
    if (!meter) return;
    var bar = meter.querySelector(".progress-bar");
    var field = input.closest(".mb-3") || document;
    var label = field.querySelector("[data-meter-label]");
    meter.hidden = false;
    function update() {
      var s = input.value ? score(input.value) : 0;
      bar.className = "progress-bar " + colors[s] + " meter-" + s;
      meter.setAttribute("aria-valuenow", String(s));
      label.textContent = input.value ? labels[s] : "";
    }
    input.addEventListener("input", update);
    update();
  });
})();
