// 民情地图: fetches the server's clusters for the viewport on every moveend (the browser never
// holds every point); a cluster click zooms in, a point opens a popup linking to the object.
// When tiles fail (an intranet) the map switches to a plain background and keeps its layers.
(function (root) {
  "use strict";
  var el = document.getElementById("lx-civic-map");
  if (!el || !root.LxMap) { return; }
  var L = root.L, d = el.dataset;
  var form = document.getElementById("lx-map-form");
  var status = document.getElementById("lx-map-status");
  var details = document.querySelector(".lx-map-filters");
  if (details && root.matchMedia && root.matchMedia("(max-width: 576px)").matches) { details.open = false; }
  var map = LxMap.create(el, { center: [parseFloat(d.centerLat), parseFloat(d.centerLng)], zoom: 11, maxZoom: 19 });
  if (!map) { return; }
  var points = L.layerGroup().addTo(map), grids = L.layerGroup().addTo(map);
  var legend = null, tileErrors = 0, seq = 0;
  map.eachLayer(function (layer) {
    if (layer instanceof L.TileLayer) {
      layer.on("tileerror", function () {
        tileErrors += 1;
        if (tileErrors === 3) { el.classList.add("lx-no-tiles"); status.textContent = d.offlineText; }
      });
    }
  });

  function esc(s) { var t = document.createElement("span"); t.textContent = s == null ? "" : String(s); return t.innerHTML; }

  function query() {
    var b = map.getBounds(), p = new URLSearchParams();
    p.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(","));
    p.set("zoom", String(map.getZoom()));
    var layers = [];
    form.querySelectorAll("input[name=layer]:checked").forEach(function (i) { layers.push(i.value); });
    p.set("layers", layers.join(",") || "none");
    ["category", "state", "from", "to", "unit"].forEach(function (n) { var v = form.elements[n].value; if (v) { p.set(n, v); } });
    if (form.elements.overdue.checked) { p.set("overdue", "1"); }
    return p;
  }

  function icon(layer, cell) {
    var size = cell.n > 1 ? 44 : 30, late = layer === "cases" && (cell.overdue || cell.late > 0);
    return L.divIcon({
      className: "", iconSize: [size, size],
      html: '<div class="lx-cluster lx-' + layer + (late ? " lx-late" : "") + '" style="width:' + size + "px;height:" + size + "px;line-height:" + (size - 4) + 'px">' + (cell.n > 1 ? cell.n : "") + "</div>"
    });
  }

  function popup(cell) {
    var html = "<strong>" + esc(cell.title) + "</strong>";
    if (cell.state_label) { html += "<br>" + esc(cell.state_label); }
    if (cell.overdue) { html += ' <span class="badge text-bg-danger">' + esc(d.overdueText) + "</span>"; }
    if (cell.href) { html += '<br><a class="lx-popup-open btn btn-sm btn-primary mt-1" style="min-height:44px" href="' + esc(cell.href) + '">' + esc(d.openText) + "</a>"; }
    return html;
  }

  function drawPoints(data) {
    points.clearLayers();
    Object.keys(data.layers || {}).forEach(function (layer) {
      data.layers[layer].forEach(function (cell) {
        var m = L.marker([cell.lat, cell.lng], { icon: icon(layer, cell), title: cell.n > 1 ? cell.n + d.countText : (cell.title || "") });
        if (cell.n > 1 || !cell.id) {
          m.on("click", function () { map.setView([cell.lat, cell.lng], Math.min(map.getZoom() + 2, 19)); });
          m.options.keyboard = true;
          m.on("add", function () { if (m._icon) { m._icon.classList.add("lx-cluster-marker"); m._icon.dataset.layer = layer; } });
        } else {
          m.bindPopup(popup(cell));
          m.on("add", function () { if (m._icon) { m._icon.classList.add("lx-point-marker"); m._icon.dataset.layer = layer; } });
        }
        m.addTo(points);
      });
    });
    el.dataset.loaded = String(seq);
    if (!el.dataset.firstLoadedAt && root.performance) { el.dataset.firstLoadedAt = String(Math.round(root.performance.now())); }
  }

  function colour(v, max) {
    if (v == null) { return "#cccccc"; }
    var t = max ? v / max : 0;
    return t > 0.75 ? "#99000d" : t > 0.5 ? "#cb181d" : t > 0.25 ? "#fb6a4a" : t > 0 ? "#fcbba1" : "#fff5f0";
  }

  function drawGrids(data, heat) {
    grids.clearLayers();
    if (legend) { map.removeControl(legend); legend = null; }
    var max = 0;
    data.features.forEach(function (f) { if (f.properties.value > max) { max = f.properties.value; } });
    L.geoJSON(data, {
      style: function (f) {
        return heat ? { color: "#555", weight: 1, fillColor: colour(f.properties.value, max), fillOpacity: 0.6 }
                    : { color: LxMap.ACCENT, weight: 1, fillOpacity: 0.05 };
      },
      onEachFeature: function (f, lyr) { lyr.bindTooltip(f.properties.name + (heat ? "：" + (f.properties.value == null ? d.noneText : f.properties.value) : "")); }
    }).addTo(grids);
    if (heat) {
      legend = L.control({ position: "bottomright" });
      legend.onAdd = function () {
        var div = L.DomUtil.create("div", "lx-legend"), steps = [0, 0.25, 0.5, 0.75, 1];
        div.innerHTML = "<strong>" + esc(d.legendTitle) + "</strong><br>";
        steps.slice(0, 4).forEach(function (s, i) {
          div.innerHTML += '<i style="background:' + colour(max * (s + 0.01), max) + '"></i>' + (max * s).toFixed(1) + "–" + (max * steps[i + 1]).toFixed(1) + "<br>";
        });
        div.innerHTML += '<i style="background:#cccccc"></i>' + esc(d.noneText);
        return div;
      };
      legend.addTo(map);
    }
  }

  function load() {
    var mine = ++seq, p = query();
    fetch(d.pointsUrl + "?" + p.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) { throw new Error(j.error || d.errorText); } return j; }); })
      .then(function (j) { if (mine === seq) { drawPoints(j); } })
      .catch(function (e) { status.textContent = e.message || d.errorText; });
    var heat = form.elements.heat.value;
    if (form.elements.grids.checked || heat) {
      if (heat) { p.set("metric", heat); }
      fetch(d.gridsUrl + "?" + p.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { features: [] }; })
        .then(function (j) { if (mine === seq) { drawGrids(j, heat); } });
    } else { grids.clearLayers(); }
  }

  // other apps add their own layers (triage's 热点预警 flags) without this file knowing them
  el.lxMap = map;
  el.dispatchEvent(new CustomEvent("lx:map-ready", { detail: { map: map } }));

  map.on("moveend", load);
  form.addEventListener("change", load);
  form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
  load();
})(window);
