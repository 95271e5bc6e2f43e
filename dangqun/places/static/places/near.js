// "Use my position": the browser's position (WGS-84) goes into the form's lat/lng and the
// form is sent; the server sorts the centers nearest first. Without JavaScript or without
// a position the button stays hidden and the list is shown unsorted.
(function () {
  if (!navigator.geolocation) { return; }
  document.querySelectorAll("form[data-near]").forEach(function (form) {
    var button = form.querySelector("[data-locate]");
    var note = form.querySelector("[data-locate-note]");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      if (note) { note.hidden = false; note.textContent = button.dataset.waiting; }
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          form.elements.lat.value = pos.coords.latitude.toFixed(6);
          form.elements.lng.value = pos.coords.longitude.toFixed(6);
          form.submit();
        },
        function () {
          button.disabled = false;
          if (note) { note.textContent = button.dataset.failed; }
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
      );
    });
  });
})();
