// Grid boundaries of a unit on a Leaflet map (core/map.js); a click opens the grid's page.
(function () {
  var el = document.getElementById("unit-map");
  var data = document.getElementById("unit-grids");
  if (!data || !window.LxMap) { return; }
  var map = LxMap.create(el, { scrollWheelZoom: false });
  if (!map) { return; }
  LxMap.areas(map, JSON.parse(data.textContent), {
    href: function (feature) {
      return el.dataset.detailUrl.replace("CODE", encodeURIComponent(feature.properties.code));
    }
  });
})();
