// The request's point on a map (core/map.js; data from data- attributes, CSP forbids inline JS).
(function () {
  var el = document.getElementById("lx-case-map");
  var p = LxMap.point(el);
  if (!p) { return; }
  var map = LxMap.create(el, { center: p, zoom: 15, maxZoom: 19 });
  if (map) { L.marker(p).addTo(map); }
})();
