// The one Leaflet set-up (CSP forbids inline scripts: pages pass data in data- attributes).
// Load after leaflet/leaflet.js (partials/map_scripts.html loads both), then in a page's script:
//   var map = LxMap.create(el, { center: [lat, lng], zoom: 15, maxZoom: 19, scrollWheelZoom: true });
//   LxMap.point(el)                        -> [lat, lng] from data-lat/data-lng, or null
//   LxMap.pin(map, latInput, lngInput, at) -> a marker a click moves, writing the inputs (6 places)
//   LxMap.areas(map, geojson, options)     -> a GeoJSON layer (style, tooltip from properties.name,
//                                             click to options.href(feature)), map fitted to it
// create() returns null when the element or Leaflet is missing, so callers just return.
(function (root) {
  "use strict";
  var ATTRIBUTION = "&copy; OpenStreetMap";
  var ACCENT = "#c8102e";

  function create(el, options) {
    if (!el || typeof root.L === "undefined") { return null; }
    options = options || {};
    var map = root.L.map(el, { scrollWheelZoom: options.scrollWheelZoom !== false });
    root.L.tileLayer(el.dataset.tileUrl, { maxZoom: options.maxZoom || 18, attribution: ATTRIBUTION }).addTo(map);
    if (options.center) { map.setView(options.center, options.zoom || 15); }
    return map;
  }

  function point(el) {
    var lat = parseFloat(el && el.dataset.lat), lng = parseFloat(el && el.dataset.lng);
    return isNaN(lat) || isNaN(lng) ? null : [lat, lng];
  }

  function pin(map, latInput, lngInput, at) {
    var marker = at ? root.L.marker(at).addTo(map) : null;
    map.on("click", function (e) {
      if (marker) { marker.setLatLng(e.latlng); } else { marker = root.L.marker(e.latlng).addTo(map); }
      latInput.value = e.latlng.lat.toFixed(6);
      lngInput.value = e.latlng.lng.toFixed(6);
    });
    return marker;
  }

  function areas(map, geojson, options) {
    options = options || {};
    var layer = root.L.geoJSON(geojson, {
      style: options.style || { color: ACCENT, weight: 1, fillOpacity: 0.08 },
      onEachFeature: function (feature, lyr) {
        if (feature.properties && feature.properties.name) { lyr.bindTooltip(feature.properties.name); }
        if (options.href) {
          lyr.on("click", function () { root.location.href = options.href(feature); });
        }
      }
    }).addTo(map);
    if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { padding: [8, 8] }); }
    return layer;
  }

  root.LxMap = { create: create, point: point, pin: pin, areas: areas, ACCENT: ACCENT };
})(window);
