/* The coverage map: demand hexagons (green covered, red beyond reach) and the suggested
   sites as numbered markers (no image files), each with a link that opens it in Amap. The
   GeoJSON is GPS (WGS-84); core/map.js shifts it onto the tiles' system. */
(function () {
  "use strict";
  var M = window.DangqunMap;
  if (!window.L || !M) { return; }
  var data = M.readJson("coverage-geojson");
  if (!data) { return; }
  var words = document.getElementById("coverage-words").dataset;
  var map = M.create(document.getElementById("coverage-map"), {});
  map.setZoom(11);
  var layer = L.geoJSON(data, {
    coordsToLatLng: function (c) { return M.show(c[1], c[0]); },
    style: function (f) {
      var ok = f.properties.covered;
      return { color: ok ? "#2e7d32" : "#c62828", weight: 1, fillColor: ok ? "#66bb6a" : "#e53935", fillOpacity: 0.45 };
    },
    pointToLayer: function (f, latlng) {
      var icon = L.divIcon({
        className: "site-marker",
        html: "<span>" + f.properties.rank + "</span>",
        iconSize: [28, 28],
        iconAnchor: [14, 14]
      });
      var box = document.createElement("div");
      var name = document.createElement("strong");
      name.textContent = "#" + f.properties.rank + " " + f.properties.label;
      var link = document.createElement("a");
      link.href = f.properties.amap_url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = words.openAmap;
      box.appendChild(name);
      box.appendChild(document.createElement("br"));
      box.appendChild(link);
      return L.marker(latlng, { icon: icon, title: "#" + f.properties.rank + " " + f.properties.label })
        .bindPopup(box);
    }
  }).addTo(map);
  if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); }
})();
