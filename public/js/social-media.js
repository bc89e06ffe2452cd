/*
 * Thumbnails for the media library (views/social/media.hbs): before the upload goes, the browser
 * draws the chosen picture at most 320 px wide on a canvas and sends it
 * beside the file as "thumbnail". The server keeps it when it is a small picture; without script
 * the library shows the file itself, scaled.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-media-upload]");
  if (!form || !window.DataTransfer) return;
  var input = form.querySelector('input[type="file"][name="file"]');
  var sending = false;
  function draw(source, width, height, done) {
    var scale = Math.min(1, 320 / Math.max(width, height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    canvas.getContext("2d").drawImage(source, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(done, "image/jpeg", 0.8);
  }
  // A data: URL, not a blob: one — the pages' CSP allows images from data: only. Videos get no
  // thumbnail here (the CSP keeps media to the app's own address); the server makes their poster.
  function thumbnail(file, done) {
    if (file.type.indexOf("image/") !== 0 || !window.FileReader) return done(null);
    var reader = new window.FileReader();
    reader.onload = function () {
      var image = new window.Image();
      image.onload = function () {
        draw(image, image.naturalWidth, image.naturalHeight, done);
      };
      image.onerror = function () {
        done(null);
      };
      image.src = reader.result;
    };
    reader.onerror = function () {
      done(null);
    };
    reader.readAsDataURL(file);
  }
  // The thumbnail rides in a hidden file field of the same form, so the upload stays a plain form
  // post: the server's redirect and message (or its refusal) come back as for any form.
  form.addEventListener("submit", function (event) {
    if (sending || !input.files || !input.files[0]) return;
    event.preventDefault();
    sending = true;
    thumbnail(input.files[0], function (blob) {
      if (blob) {
        var field = document.createElement("input");
        field.type = "file";
        field.name = "thumbnail";
        field.hidden = true;
        var files = new window.DataTransfer();
        files.items.add(new window.File([blob], "thumbnail.jpg", { type: "image/jpeg" }));
        field.files = files.files;
        form.appendChild(field);
      }
      form.submit();
    });
  });
})();
