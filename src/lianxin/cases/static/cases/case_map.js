(function () {
  var el = document.getElementById("lx-case-map");
  if (!el || !window.L) { return; }
  var p = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
  var map = L.map(el).setView(p, 15);
  L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
  L.marker(p).addTo(map);
})();
