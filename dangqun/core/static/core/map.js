/* The pages' maps, over Leaflet (from django-leaflet's package). Stored places are GPS
   (WGS-84); tiles in GCJ-02 (Amap, Tencent) are shifted from it by up to ~500 m in China, so
   every marker is converted to the tiles' system here and every tap converted back, the same
   formulas as core/geo.py. Leaflet's own words come translated from the page
   (the "map-config" element, see core/templatetags/page_json.py). A map that cannot load its
   tiles says so; the list or the form beside it has everything. */
(function () {
  "use strict";
  var A = 6378245.0, EE = 0.00669342162296594323;

  function outOfChina(lat, lng) {
    return !(lng > 73.66 && lng < 135.05 && lat > 3.86 && lat < 53.55);
  }
  function tLat(x, y) {
    var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (160.0 * Math.sin(y / 12.0 * Math.PI) + 320 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
    return r;
  }
  function tLng(x, y) {
    var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
    return r;
  }
  function wgs84ToGcj02(lat, lng) {
    if (outOfChina(lat, lng)) { return [lat, lng]; }
    var dLat = tLat(lng - 105.0, lat - 35.0), dLng = tLng(lng - 105.0, lat - 35.0);
    var rad = lat / 180.0 * Math.PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad);
    var sq = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sq) * Math.PI);
    dLng = (dLng * 180.0) / (A / sq * Math.cos(rad) * Math.PI);
    return [lat + dLat, lng + dLng];
  }
  function gcj02ToWgs84(lat, lng) {
    if (outOfChina(lat, lng)) { return [lat, lng]; }
    var gLat = lat, gLng = lng;
    for (var i = 0; i < 30; i++) {
      var f = wgs84ToGcj02(gLat, gLng), dLat = f[0] - lat, dLng = f[1] - lng;
      gLat -= dLat; gLng -= dLng;
      if (Math.abs(dLat) < 1e-10 && Math.abs(dLng) < 1e-10) { break; }
    }
    return [gLat, gLng];
  }

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var config = readJson("map-config") || { tiles: { crs: "wgs84" }, text: {} };
  var text = config.text || {};
  var gcj = config.tiles && config.tiles.crs === "gcj02";

  /* GPS -> the tiles' system (a Leaflet LatLng), and back. */
  function show(lat, lng) {
    var p = gcj ? wgs84ToGcj02(+lat, +lng) : [+lat, +lng];
    return window.L ? L.latLng(p[0], p[1]) : p;
  }
  function back(latlng) {
    var p = gcj ? gcj02ToWgs84(latlng.lat, latlng.lng) : [latlng.lat, latlng.lng];
    return { lat: p[0], lng: p[1] };
  }

  var maps = [];  // the page's maps, in the order made (for the browser tests)

  /* A Leaflet map in `box` with the configured tiles and translated controls. */
  function create(box, options, failedText) {
    if (!window.L || !box) { return null; }
    box.hidden = false;
    if (!box.getAttribute("role")) { box.setAttribute("role", "region"); }
    if (!box.getAttribute("aria-label")) { box.setAttribute("aria-label", text.map || "Map"); }
    var map = L.map(box, L.extend({ zoomControl: false, attributionControl: false }, options || {}));
    L.control.zoom({
      zoomInTitle: text.zoom_in || "Zoom in",
      zoomOutTitle: text.zoom_out || "Zoom out"
    }).addTo(map);
    var credit = L.control.attribution({ prefix: false }).addTo(map);
    var leaflet = document.createElement("a");
    leaflet.href = "https://leafletjs.com";
    leaflet.title = text.leaflet_title || "";
    leaflet.textContent = "Leaflet";
    credit.setPrefix(leaflet.outerHTML);
    map.setView(show(30.29, 119.99), 12);
    maps.push(map);
    var tiles = config.tiles || {};
    if (tiles.url) {
      var layer = L.tileLayer(tiles.url, {
        maxZoom: 18,
        subdomains: tiles.subdomains || "abc",
        attribution: tiles.attribution || ""
      }).addTo(map);
      layer.once("tileerror", function () {
        var note = document.createElement("p");
        note.className = "muted small map-note";
        note.setAttribute("role", "status");
        note.textContent = failedText || text.tiles_failed || "";
        box.parentNode.insertBefore(note, box.nextSibling);
      });
    }
    return map;
  }

  /* A point picker: tap the map (or "use my position") to fill the GPS inputs. */
  function picker(root) {
    var latInput = document.getElementById(root.dataset.lat);
    var lngInput = document.getElementById(root.dataset.lng);
    var coordInput = root.dataset.coord ? document.getElementById(root.dataset.coord) : null;
    var status = root.querySelector("[data-map-status]");
    var locate = root.querySelector("[data-map-locate]");
    if (!window.L && !navigator.geolocation) { return null; }
    root.hidden = false;
    var map = create(root.querySelector("[data-map-box]"), {}, text.tiles_failed_form);
    var marker = null;

    function say(message) { if (status) { status.textContent = message; } }
    function place(lat, lng, fill) {
      var at = show(lat, lng);
      if (map) {
        if (marker) { marker.setLatLng(at); } else {
          marker = L.circleMarker(at, { radius: 10, color: "#0d47a1", weight: 3, fillOpacity: 0.5 }).addTo(map);
        }
        map.setView(at, Math.max(map.getZoom(), 15), { animate: false });
      }
      if (fill) {
        latInput.value = (+lat).toFixed(6);
        lngInput.value = (+lng).toFixed(6);
        if (coordInput) { coordInput.value = "wgs84"; }
      }
      say((text.chosen || "%(lat)s, %(lng)s")
        .replace("%(lat)s", (+lat).toFixed(5)).replace("%(lng)s", (+lng).toFixed(5)));
    }
    function typed() {
      var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
      var gps = !coordInput || coordInput.value === "wgs84" || coordInput.value === "";
      if (gps && isFinite(lat) && isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) {
        place(lat, lng, false);
      }
    }
    if (map) {
      map.on("click", function (event) {
        var p = back(event.latlng);
        place(p.lat, p.lng, true);
      });
    }
    latInput.addEventListener("change", typed);
    lngInput.addEventListener("change", typed);
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        locate.disabled = true;
        say(text.locating || "");
        navigator.geolocation.getCurrentPosition(
          function (pos) {
            locate.disabled = false;
            place(pos.coords.latitude, pos.coords.longitude, true);
          },
          function () { locate.disabled = false; say(text.no_position || ""); },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    }
    typed();
    return map;
  }

  window.DangqunMap = {
    wgs84ToGcj02: wgs84ToGcj02,
    gcj02ToWgs84: gcj02ToWgs84,
    config: config,
    text: text,
    show: show,
    back: back,
    create: create,
    picker: picker,
    readJson: readJson,
    maps: maps
  };
  function start() {
    var roots = document.querySelectorAll("[data-map-picker]");
    for (var i = 0; i < roots.length; i++) { picker(roots[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
