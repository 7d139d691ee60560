// Intake page: a Leaflet map pin fills the hidden lat/lng inputs (CSP: no inline script).
(function () {
  var el = document.getElementById("lx-intake-map");
  if (el && window.L) {
    var latInput = document.getElementById(el.dataset.latInput);
    var lngInput = document.getElementById(el.dataset.lngInput);
    var lat = parseFloat(latInput && latInput.value), lng = parseFloat(lngInput && lngInput.value);
    var map = L.map(el).setView(isNaN(lat) ? [34.72, 104.89] : [lat, lng], isNaN(lat) ? 11 : 15);
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    var marker = isNaN(lat) ? null : L.marker([lat, lng]).addTo(map);
    map.on("click", function (e) {
      if (marker) { marker.setLatLng(e.latlng); } else { marker = L.marker(e.latlng).addTo(map); }
      latInput.value = e.latlng.lat.toFixed(6);
      lngInput.value = e.latlng.lng.toFixed(6);
    });
  }
  // One click, one request: disable the button once the form is on its way.
  document.querySelectorAll("form [data-disable-on-submit]").forEach(function (btn) {
    btn.form.addEventListener("submit", function () { setTimeout(function () { btn.disabled = true; }, 0); });
  });
})();
