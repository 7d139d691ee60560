document.addEventListener("click", function (evt) {
  if (evt.target && evt.target.matches("[data-print]")) { window.print(); }
});
