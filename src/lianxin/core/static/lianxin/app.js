// Lianxin: CSRF token for htmx requests (CSP forbids inline scripts, so it lives here).
document.addEventListener("htmx:configRequest", function (evt) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { evt.detail.headers["X-CSRFToken"] = meta.content; }
});
document.addEventListener("change", function (evt) {
  var el = evt.target;
  if (el && el.matches && el.matches("[data-autosubmit]")) { el.form.submit(); }
});
