/* dangqun check-in desk: read a personal QR code with the phone's camera.
   Uses the browser's own BarcodeDetector (Chrome on Android, Edge); where there is none
   (iPhone Safari, WeChat), the page says so and staff take a photo of the code, which the
   server reads (the photo form is sent as soon as a photo is chosen), or type the short code. A code that is one of this platform's
   check-in addresses opens that address, with the desk's session; anything else is refused. */
(function () {
  "use strict";
  var photo = document.querySelector("[data-scan-photo]");
  if (photo) {
    photo.querySelector("input[type=file]").addEventListener("change", function (event) {
      if (event.target.files && event.target.files.length) { photo.submit(); }
    });
  }
  var box = document.querySelector("[data-scanner]");
  if (!box) { return; }
  var status = box.querySelector("[data-scan-status]");
  var start = box.querySelector("[data-scan-start]");
  var stop = box.querySelector("[data-scan-stop]");
  var video = box.querySelector("[data-scan-video]");
  var stream = null;
  var timer = null;
  var detector = null;
  // A desk whose form checks the code itself (a team leader's shift desk) names its field:
  // the code read goes there and the form is sent, instead of opening the code's address.
  var fill = box.dataset.fill ? document.getElementById(box.dataset.fill) : null;

  function say(text) { status.textContent = text; }

  function halt() {
    if (timer) { window.clearTimeout(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function target(raw) {
    // Only this site's own check-in addresses: a QR code must not send the desk elsewhere.
    var url;
    try { url = new URL(raw, window.location.href); } catch (e) { return null; }
    if (url.origin !== window.location.origin) { return null; }
    if (url.pathname.indexOf(box.dataset.prefix) !== 0) { return null; }
    url.search = "?session=" + encodeURIComponent(box.dataset.session);
    return url.href;
  }

  function look() {
    detector.detect(video).then(function (codes) {
      for (var i = 0; i < codes.length; i += 1) {
        var next = target(codes[i].rawValue);
        if (next) {
          say(box.dataset.msgFound);
          halt();
          if (fill) { fill.value = codes[i].rawValue; fill.form.submit(); return; }
          window.location.assign(next);
          return;
        }
        say(box.dataset.msgWrong);
      }
      timer = window.setTimeout(look, 250);
    }).catch(function () { timer = window.setTimeout(look, 500); });
  }

  function begin() {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        say(box.dataset.msgStart);
        return video.play();
      })
      .then(look)
      .catch(function () { halt(); say(box.dataset.msgDenied); });
  }

  var camera = navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!("BarcodeDetector" in window) || !camera || !window.isSecureContext) {
    say(box.dataset.msgNone);
    return;
  }
  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") === -1) { say(box.dataset.msgNone); return; }
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    start.hidden = false;
    say("");
    start.addEventListener("click", begin);
    stop.addEventListener("click", halt);
  }).catch(function () { say(box.dataset.msgNone); });
  window.addEventListener("pagehide", halt);
}());
