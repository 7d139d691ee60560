// Lianxin: CSRF token for htmx requests (CSP forbids inline scripts, so it lives here).
document.addEventListener("htmx:configRequest", function (evt) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { evt.detail.headers["X-CSRFToken"] = meta.content; }
});
document.addEventListener("change", function (evt) {
  var el = evt.target;
  if (el && el.matches && el.matches("[data-autosubmit]")) { el.form.submit(); }
});
// Polling elements ([data-lx-poll], e.g. the navbar bell) stop for good once the server answers
// 401/403 (session over, password change due): the server sends HX-Redirect when the whole page
// must move, and an error answer is never swapped into the element.
document.addEventListener("htmx:beforeSwap", function (evt) {
  var status = evt.detail.xhr.status;
  if (status === 401 || status === 403) {
    evt.detail.shouldSwap = false;
    var elt = evt.detail.elt;
    if (elt && elt.closest) {
      var poller = elt.closest("[data-lx-poll]");
      if (poller) { poller.setAttribute("data-lx-poll", "stopped"); }
    }
  }
});
document.addEventListener("htmx:beforeRequest", function (evt) {
  var elt = evt.detail.elt;
  if (elt && elt.getAttribute && elt.getAttribute("data-lx-poll") === "stopped") { evt.preventDefault(); }
});
// A fragment answered 422 (form refused) or 429 (too many tries) carries the Chinese message
// the user must read: htmx 2 swaps no 4xx by default, so the click would seem to do nothing.
// Whole pages (a view that answers a full document) are never swapped into an element.
document.addEventListener("htmx:beforeSwap", function (evt) {
  var status = evt.detail.xhr.status;
  if (status === 422 || status === 429) {
    var body = evt.detail.serverResponse || "";
    if (!/<html[\s>]/i.test(body)) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  }
});
// On a phone the rows of a list are cards (app.css): each cell is labelled with its column's
// head, read from the table's <thead> (colspan counted), on load and after every htmx swap.
function lxLabelCells(root) {
  var tables = (root.querySelectorAll ? root : document).querySelectorAll(".table-responsive > .table");
  Array.prototype.forEach.call(tables, function (table) {
    var headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!headRow) { return; }
    var labels = [];
    Array.prototype.forEach.call(headRow.cells, function (th) {
      var text = (th.innerText || th.textContent || "").trim();
      for (var i = 0; i < (th.colSpan || 1); i++) { labels.push(text); }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = labels[col];
          if (label && cell.colSpan === 1 && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", label); }
          col += cell.colSpan || 1;
        });
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { lxLabelCells(document); });
document.addEventListener("htmx:afterSettle", function (evt) { lxLabelCells(document); });
