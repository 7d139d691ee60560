// Print buttons (partials/print_button.html): any [data-print] element prints the page
// (CSP forbids inline handlers). Bound once however many buttons include it.
(function () {
  if (window.lxPrintBound) { return; }
  window.lxPrintBound = true;
  document.addEventListener("click", function (evt) {
    var el = evt.target.closest ? evt.target.closest("[data-print]") : null;
    if (el) { evt.preventDefault(); window.print(); }
  });
})();
