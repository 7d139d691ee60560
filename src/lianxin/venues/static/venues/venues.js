// Venues: print buttons on the A4 posters (CSP forbids inline handlers).
document.addEventListener("click", function (evt) {
  var el = evt.target.closest ? evt.target.closest("[data-print]") : null;
  if (el) { evt.preventDefault(); window.print(); }
});
