// The venue's map point on a Leaflet map (data from data- attributes; CSP forbids inline JS).
(function () {
  var el = document.getElementById("venue-map");
  if (!el || typeof L === "undefined") { return; }
  var lat = parseFloat(el.dataset.lat), lng = parseFloat(el.dataset.lng);
  if (isNaN(lat) || isNaN(lng)) { return; }
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lng], 14);
  L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: "&copy; OpenStreetMap" }).addTo(map);
  L.circleMarker([lat, lng], { radius: 8, color: "#c8102e", fillOpacity: 0.6 }).addTo(map).bindTooltip(el.dataset.name);
})();
