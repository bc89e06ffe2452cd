// Profile photo: preview and crop the chosen picture with Cropper.js, then upload the cropped
// square. Without this script (or Cropper.js) the form posts the original picture as it is.
(function () {
  "use strict";

  var form = document.querySelector("[data-avatar-form]");
  if (!form || typeof window.Cropper !== "function" || !window.fetch || !window.FileReader) return;

  var input = form.querySelector('input[type="file"]');
  var wrapper = form.querySelector("[data-avatar-cropper]");
  var preview = form.querySelector("[data-avatar-preview]");
  var submit = form.querySelector("[data-avatar-submit]");
  var status = document.querySelector("[data-avatar-status]");
  var maxBytes = Number(form.getAttribute("data-max-bytes")) || 0;
  var cropper = null;
  var outputType = "image/png";

  function showError(message) {
    if (!status) return window.alert(message);
    status.textContent = message;
    status.classList.remove("d-none");
  }

  function clearError() {
    if (!status) return;
    status.textContent = "";
    status.classList.add("d-none");
  }

  function reset() {
    if (cropper) cropper.destroy();
    cropper = null;
    preview.removeAttribute("src");
    wrapper.classList.add("d-none");
  }

  // A picture refused here or by the server leaves nothing behind: no broken preview, no file
  // chosen (so "Upload" asks for one again).
  function refuse(message) {
    reset();
    input.value = "";
    showError(message);
  }

  // The preview is shown, and cropped, only once the browser could decode the picture: a file
  // that only claims to be one (a text file named .png) would leave a broken image box.
  preview.addEventListener("load", function () {
    if (!preview.getAttribute("src") || cropper) return;
    wrapper.classList.remove("d-none");
    cropper = new window.Cropper(preview, {
      aspectRatio: 1,
      viewMode: 1,
      autoCropArea: 0.9,
      background: false,
      movable: true,
      zoomable: true,
    });
  });
  preview.addEventListener("error", function () {
    if (!preview.getAttribute("src")) return;
    refuse("That file is not a picture we can read. Choose a PNG, JPEG or WebP photo.");
  });

  input.addEventListener("change", function () {
    clearError();
    reset();
    var file = input.files && input.files[0];
    if (!file) return;
    if (!/^image\/(png|jpeg|webp)$/.test(file.type)) {
      refuse(
        "That file is not a PNG, JPEG or WebP picture. Choose a photo in one of those formats.",
      );
      return;
    }
    outputType = file.type === "image/jpeg" ? "image/jpeg" : "image/png";
    // A data: URL, because the page's Content-Security-Policy allows data: images but not blob:.
    var reader = new window.FileReader();
    reader.addEventListener("load", function () {
      preview.src = String(reader.result);
    });
    reader.addEventListener("error", function () {
      refuse("That picture could not be read. Try another one.");
    });
    reader.readAsDataURL(file);
  });

  function upload(blob, box) {
    var data = new window.FormData();
    data.append("avatar", blob, outputType === "image/jpeg" ? "avatar.jpg" : "avatar.png");
    data.append("x", String(box.x));
    data.append("y", String(box.y));
    data.append("width", String(box.width));
    data.append("height", String(box.height));
    var meta = document.querySelector('meta[name="csrf-token"]');
    submit.disabled = true;
    return window
      .fetch("/profile/avatar", {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "X-CSRF-Token": meta ? meta.getAttribute("content") : "",
        },
      })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.message || "The upload failed. Try again.");
          window.location.assign((body.data && body.data.redirect) || "/profile");
        });
      })
      .catch(function (error) {
        refuse(error && error.message ? error.message : "The upload failed. Try again.");
        submit.disabled = false;
      });
  }

  form.addEventListener("submit", function (event) {
    // No picture cropped yet: let the browser post the form (or show its "required" hint).
    if (!cropper) return;
    event.preventDefault();
    clearError();
    var canvas = cropper.getCroppedCanvas({
      width: 256,
      height: 256,
      imageSmoothingQuality: "high",
      fillColor: outputType === "image/jpeg" ? "#fff" : "transparent",
    });
    if (!canvas) return showError("That picture could not be cropped. Try another one.");
    var box = cropper.getData(true);
    canvas.toBlob(
      function (blob) {
        if (!blob) return showError("That picture could not be cropped. Try another one.");
        if (maxBytes && blob.size > maxBytes) {
          return showError("The cropped picture is still too large. Try a smaller one.");
        }
        upload(blob, box);
      },
      outputType,
      0.9,
    );
  });
})();
