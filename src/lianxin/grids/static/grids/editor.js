// The grid boundary editor: Leaflet + Leaflet.draw over core/map.js. Existing grids are editable
// (the edit tool saves each changed polygon); a new polygon fills the side form, which saves it as
// a new grid or micro-grid. Overlaps (red) and gaps (grey) come from the server in data blocks.
(function () {
  "use strict";
  var el = document.getElementById("grid-editor");
  if (!el || !window.LxMap || !window.L || !L.Control || !L.Control.Draw) { return; }
  var map = LxMap.create(el, { scrollWheelZoom: true, maxZoom: 19 });
  if (!map) { return; }
  window.LxGridEditor = map;
  var form = document.getElementById("grid-new-form");
  var geoInput = document.getElementById("grid-new-geojson");
  var saveButton = document.getElementById("grid-new-save");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var boxes = {
    warning: document.getElementById("grid-warning"),
    error: document.getElementById("grid-error"),
    saved: document.getElementById("grid-saved")
  };

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : { type: "FeatureCollection", features: [] };
  }

  function show(name, text) {
    Object.keys(boxes).forEach(function (k) {
      if (k === name) { boxes[k].textContent = text; boxes[k].classList.remove("d-none"); }
      else if (name !== "warning" || k === "error") { boxes[k].classList.add("d-none"); }
    });
  }

  var editable = new L.FeatureGroup().addTo(map);
  var grids = L.geoJSON(read("grid-features"), {
    style: function (f) {
      return { color: LxMap.ACCENT, weight: f.properties.kind === "micro_grid" ? 1 : 2, fillOpacity: 0.06 };
    },
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(feature.properties.name);
      layer.feature = feature;
      editable.addLayer(layer);
    }
  });
  var issues = L.geoJSON(read("grid-analysis"), {
    style: function (f) {
      return f.properties.kind === "overlap"
        ? { color: "#d00", weight: 1, fillColor: "#f00", fillOpacity: 0.45, className: "grid-overlap" }
        : { color: "#666", weight: 1, dashArray: "4", fillColor: "#999", fillOpacity: 0.35, className: "grid-gap" };
    },
    interactive: false
  }).addTo(map);
  if (editable.getLayers().length) { map.fitBounds(editable.getBounds(), { padding: [12, 12] }); }
  else { map.setView([34.72, 104.89], 13); }

  var drawn = null;
  map.addControl(new L.Control.Draw({
    edit: { featureGroup: editable, remove: false },
    draw: { polygon: { allowIntersection: false, showArea: false }, rectangle: true,
            polyline: false, circle: false, marker: false, circlemarker: false }
  }));

  function post(url, data) {
    var body = new URLSearchParams();
    Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch" }
    }).then(function (r) { return r.json(); });
  }

  function list(id, items, none) {
    var ul = document.getElementById(id);
    ul.replaceChildren();
    (items.length ? items : [none]).forEach(function (text) {
      var li = document.createElement("li");
      li.className = "list-group-item small" + (items.length ? "" : " text-muted");
      li.textContent = text;
      ul.appendChild(li);
    });
  }

  function refresh(data) {
    issues.clearLayers();
    issues.addData(data.analysis);
    list("grid-overlaps", data.overlap_items, el.dataset.noneOverlaps);
    list("grid-gaps", data.gap_items, el.dataset.noneGaps);
    var regrid = document.getElementById("grid-regrid");
    regrid.querySelector("span").textContent = data.regrid;
    regrid.classList.toggle("d-none", !data.regrid);
  }

  function answer(data) {
    if (!data.ok) { show("error", data.error); return false; }
    refresh(data);
    show("saved", el.dataset.savedText + " " + data.name);
    if (data.warnings && data.warnings.length) { show("warning", data.warnings.join("；")); }
    else { boxes.warning.classList.add("d-none"); }
    return true;
  }

  map.on(L.Draw.Event.CREATED, function (e) {
    if (drawn) { map.removeLayer(drawn); }
    drawn = e.layer.addTo(map);
    geoInput.value = JSON.stringify(drawn.toGeoJSON().geometry);
    saveButton.disabled = false;
  });

  map.on(L.Draw.Event.EDITED, function (e) {
    e.layers.eachLayer(function (layer) {
      var code = layer.feature.properties.code;
      post(el.dataset.saveUrl.replace("GRID", encodeURIComponent(code)),
           { geojson: JSON.stringify(layer.toGeoJSON().geometry) }).then(answer);
    });
  });

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!geoInput.value) { return; }
    saveButton.disabled = true;
    post(el.dataset.newUrl, {
      name: form.elements.name.value, parent: form.elements.parent.value, geojson: geoInput.value
    }).then(function (data) {
      if (answer(data)) {
        map.removeLayer(drawn);
        L.geoJSON(JSON.parse(geoInput.value), { style: { color: LxMap.ACCENT, weight: 2, fillOpacity: 0.06 } })
          .eachLayer(function (layer) {
            layer.feature = { properties: { code: data.code, name: data.name } };
            layer.bindTooltip(data.name);
            editable.addLayer(layer);
          });
        drawn = null;
        geoInput.value = "";
        form.elements.name.value = "";
      } else {
        saveButton.disabled = false;
      }
    }).catch(function () { saveButton.disabled = false; show("error", el.dataset.networkError); });
  });
  void grids;
})();
