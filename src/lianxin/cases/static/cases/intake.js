// Intake page: a map pin fills the hidden lat/lng inputs (core/map.js; CSP: no inline script).
(function () {
  var el = document.getElementById("lx-intake-map");
  if (el) {
    var latInput = document.getElementById(el.dataset.latInput);
    var lngInput = document.getElementById(el.dataset.lngInput);
    var lat = parseFloat(latInput && latInput.value), lng = parseFloat(lngInput && lngInput.value);
    var at = isNaN(lat) || isNaN(lng) ? null : [lat, lng];
    var map = LxMap.create(el, { center: at || [34.72, 104.89], zoom: at ? 15 : 11, maxZoom: 19 });
    if (map) { LxMap.pin(map, latInput, lngInput, at); }
  }
  // One click, one request: disable the button once the form is on its way.
  document.querySelectorAll("form [data-disable-on-submit]").forEach(function (btn) {
    btn.form.addEventListener("submit", function () { setTimeout(function () { btn.disabled = true; }, 0); });
  });
})();
