// Lianxin: a type-to-filter box above every grouped unit picker (select[data-unit-picker],
// org/pickers.py). Typing part of a town's or village's name hides the other options; when one
// option is left it is chosen. Without JavaScript the grouped select works on its own.
(function () {
  function norm(s) { return (s || "").replace(/\s+/g, "").toLowerCase(); }

  function filter(select, query) {
    var q = norm(query), visible = [];
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      var groupHit = q && norm(group.label).indexOf(q) !== -1, any = false;
      Array.prototype.forEach.call(group.querySelectorAll("option"), function (opt) {
        var show = !q || groupHit || norm(opt.textContent).indexOf(q) !== -1;
        opt.hidden = !show;
        if (show) { any = true; visible.push(opt); }
      });
      group.hidden = !any;
    });
    if (q && visible.length === 1 && select.value !== visible[0].value) {
      select.value = visible[0].value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    return visible.length;
  }

  function enhance(select) {
    if (select.dataset.unitPickerReady) { return; }
    select.dataset.unitPickerReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.getAttribute("data-filter-label") || "";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("aria-controls", select.id || "");
    box.setAttribute("autocomplete", "off");
    box.setAttribute("data-unit-filter", select.name || "");
    var status = document.createElement("div");
    status.className = "form-text mt-0 mb-1";
    status.setAttribute("aria-live", "polite");
    box.addEventListener("input", function () {
      var n = filter(select, box.value);
      status.textContent = box.value ? (n ? "" : (select.getAttribute("data-empty-label") || "—")) : "";
    });
    box.addEventListener("keydown", function (evt) {
      if (evt.key === "Enter") { evt.preventDefault(); select.focus(); }
    });
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select);
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select[data-unit-picker]"), enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else { enhanceAll(document); }
  document.addEventListener("htmx:load", function (evt) { enhanceAll(evt.target); });
})();
