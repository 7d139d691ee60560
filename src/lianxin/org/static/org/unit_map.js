// Grid boundaries of a unit on a Leaflet map; a click opens the grid's page.
(function () {
  var el = document.getElementById("unit-map");
  var data = document.getElementById("unit-grids");
  if (!el || !data || typeof L === "undefined") { return; }
  var geojson = JSON.parse(data.textContent);
  var map = L.map(el, { scrollWheelZoom: false });
  L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: "&copy; OpenStreetMap" }).addTo(map);
  var layer = L.geoJSON(geojson, {
    style: { color: "#c8102e", weight: 1, fillOpacity: 0.08 },
    onEachFeature: function (feature, lyr) {
      lyr.bindTooltip(feature.properties.name);
      lyr.on("click", function () {
        window.location.href = el.dataset.detailUrl.replace("CODE", encodeURIComponent(feature.properties.code));
      });
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [8, 8] });
})();
