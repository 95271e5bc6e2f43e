/* The riders' map: Leaflet over the list the server rendered. The list works without it.
   Position only after the rider taps "Use my position" (the browser then asks). */
(function () {
  "use strict";
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var form = document.getElementById("reach-form");
  var locate = document.getElementById("locate");
  var note = document.getElementById("locate-note");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    note.hidden = false;
    locate.addEventListener("click", function () {
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          form.elements.lat.value = pos.coords.latitude.toFixed(6);
          form.elements.lng.value = pos.coords.longitude.toFixed(6);
          form.elements.coord.value = "wgs84";
          form.submit();
        },
        function () { locate.disabled = false; },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
      );
    });
  }
  if (!window.L) { return; }
  var config = document.getElementById("map-config").dataset;
  var points = data("station-points") || [];
  var origin = data("reach-origin");
  var circle = data("reach-circle");
  var box = document.getElementById("map");
  box.hidden = false;
  var map = L.map(box, { zoomControl: true }).setView([30.29, 119.99], 12);
  L.tileLayer(config.tiles, { maxZoom: 19, attribution: config.attribution }).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lng], { radius: 7, color: "#b71c1c", weight: 2, fillOpacity: 0.8 });
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name;
    marker.bindPopup(link).addTo(map);
    bounds.push([p.lat, p.lng]);
  });
  if (origin) {
    L.circleMarker([origin.lat, origin.lng], { radius: 8, color: "#0d47a1", fillOpacity: 1 })
      .bindTooltip(config.here).addTo(map);
    bounds.push([origin.lat, origin.lng]);
    if (circle) {
      L.circle([origin.lat, origin.lng], { radius: circle, color: "#0d47a1", weight: 1, fillOpacity: 0.06 })
        .bindTooltip(config.reach).addTo(map);
      map.fitBounds(L.latLng(origin.lat, origin.lng).toBounds(circle * 2));
      return;
    }
  }
  if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 }); }
})();
