/* The coverage map: demand hexagons (green covered, red beyond reach) and suggested sites. */
(function () {
  "use strict";
  if (!window.L) { return; }
  var node = document.getElementById("coverage-geojson");
  if (!node) { return; }
  var data = JSON.parse(node.textContent);
  var config = document.getElementById("map-config").dataset;
  var box = document.getElementById("coverage-map");
  box.hidden = false;
  var map = L.map(box).setView([30.29, 119.99], 11);
  L.tileLayer(config.tiles, { maxZoom: 19, attribution: config.attribution }).addTo(map);
  var layer = L.geoJSON(data, {
    style: function (f) {
      var ok = f.properties.covered;
      return { color: ok ? "#2e7d32" : "#c62828", weight: 1, fillColor: ok ? "#66bb6a" : "#e53935", fillOpacity: 0.45 };
    },
    pointToLayer: function (f, latlng) {
      return L.marker(latlng).bindTooltip("#" + f.properties.rank + " " + f.properties.label);
    }
  }).addTo(map);
  if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); }
})();
