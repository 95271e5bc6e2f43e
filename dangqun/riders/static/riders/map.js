/* The riders' map: Leaflet over the list the server rendered (core/map.js: tiles, their
   coordinate system, translated controls). The list works without it. Open and closed
   stations differ in colour and in line (solid, dashed), and their popups say it in words.
   Position only after the rider taps "Use my position" (the browser then asks); a tap on the
   map offers to search from there. */
(function () {
  "use strict";
  var form = document.getElementById("reach-form");
  var locate = document.getElementById("locate");
  var note = document.getElementById("locate-note");
  function searchFrom(lat, lng) {
    form.elements.lat.value = lat.toFixed(6);
    form.elements.lng.value = lng.toFixed(6);
    form.elements.coord.value = "wgs84";
    form.submit();
  }
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    note.hidden = false;
    locate.addEventListener("click", function () {
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (pos) { searchFrom(pos.coords.latitude, pos.coords.longitude); },
        function () { locate.disabled = false; },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
      );
    });
  }
  var M = window.DangqunMap;
  if (!window.L || !M) { return; }
  var words = document.getElementById("reach-words").dataset;
  var points = M.readJson("station-points") || [];
  var origin = M.readJson("reach-origin");
  var circle = M.readJson("reach-circle");
  var map = M.create(document.getElementById("map"));
  document.getElementById("map-legend").hidden = false;
  var bounds = [];
  points.forEach(function (p) {
    var style = p.open
      ? { radius: 8, color: "#1b5e20", weight: 3, fillColor: "#43a047", fillOpacity: 0.9, className: "station-open" }
      : { radius: 7, color: "#616161", weight: 2, dashArray: "3 3", fillColor: "#ffffff", fillOpacity: 0.6, className: "station-closed" };
    var marker = L.circleMarker(M.show(p.lat, p.lng), style);
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name;
    var status = document.createElement("span");
    status.className = p.open ? "badge open" : "badge closed";
    status.textContent = p.status;
    box.appendChild(link);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(status);
    marker.bindPopup(box).bindTooltip(p.name + " · " + p.status).addTo(map);
    bounds.push(M.show(p.lat, p.lng));
  });
  map.on("click", function (event) {
    var at = M.back(event.latlng);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = words.searchHere;
    button.addEventListener("click", function () { searchFrom(at.lat, at.lng); });
    L.popup().setLatLng(event.latlng).setContent(button).openOn(map);
  });
  if (origin) {
    var here = M.show(origin.lat, origin.lng);
    L.circleMarker(here, { radius: 8, color: "#0d47a1", fillOpacity: 1 })
      .bindTooltip(words.here).addTo(map);
    bounds.push(here);
    if (circle) {
      L.circle(here, { radius: circle, color: "#0d47a1", weight: 1, fillOpacity: 0.06 })
        .bindTooltip(words.reach).addTo(map);
      map.fitBounds(here.toBounds(circle * 2));
      return;
    }
  }
  if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 }); }
})();
