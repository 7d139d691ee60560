// 热点预警 on the 民情地图: a flag per hot spot (many similar requests in one grid within days),
// added to the map that maps/map.js made (el.lxMap, or the "lx:map-ready" event).
(function (root) {
  "use strict";
  var data = document.getElementById("lx-triage-flags");
  var el = document.getElementById("lx-civic-map");
  if (!data || !el || !root.L) { return; }
  var flags = JSON.parse(data.textContent), L = root.L;

  function esc(s) { var t = document.createElement("span"); t.textContent = s == null ? "" : String(s); return t.innerHTML; }

  function add(map) {
    if (el.lxTriageFlags) { return; }
    var layer = el.lxTriageFlags = L.layerGroup().addTo(map);
    flags.forEach(function (f) {
      if (f.lat == null || f.lng == null) { return; }
      var m = L.marker([f.lat, f.lng], {
        // Beside and beneath the requests' own markers, never over them: a flag stands at its
        // requests' mean point, where a clerk clicks down to one request (the list beside the
        // map names every flag too).
        title: f.label + " · " + f.n, keyboard: true, zIndexOffset: -1000,
        icon: L.divIcon({
          className: "", iconSize: [56, 30], iconAnchor: [-14, 44],
          html: '<span class="badge text-bg-danger fs-6 shadow" data-testid="triage-map-flag">⚑ ' + esc(f.n) + "</span>"
        })
      });
      m.bindPopup("<strong>" + esc(f.label) + "</strong><br>" + esc(f.n) +
        '<br><a class="btn btn-sm btn-danger mt-1" style="min-height:44px" href="' + esc(f.href) + '">' + esc(el.dataset.openText || "") + "</a>");
      m.addTo(layer);
    });
  }

  if (el.lxMap) { add(el.lxMap); } else { el.addEventListener("lx:map-ready", function (e) { add(e.detail.map); }); }
})(window);
