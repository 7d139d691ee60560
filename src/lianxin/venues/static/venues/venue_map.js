// The venue's map point (core/map.js; data from data- attributes, CSP forbids inline JS).
(function () {
  var el = document.getElementById("venue-map");
  var p = LxMap.point(el);
  if (!p) { return; }
  var map = LxMap.create(el, { center: p, zoom: 14, scrollWheelZoom: false });
  if (map) {
    L.circleMarker(p, { radius: 8, color: LxMap.ACCENT, fillOpacity: 0.6 }).addTo(map).bindTooltip(el.dataset.name);
  }
})();
