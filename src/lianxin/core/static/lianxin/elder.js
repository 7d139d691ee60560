// 长辈版 (core/elder.py): loaded in <head> without defer, so it runs before the first paint.
// The cookie is what the server reads; localStorage keeps the choice on this device when the
// cookie was cleared or expired: then the class is applied at once and the cookie restored.
(function () {
  var root = document.documentElement;
  var match = /(?:^|;\s*)lx_elder=([01])/.exec(document.cookie);
  var stored = null;
  try { stored = window.localStorage.getItem("lx_elder"); } catch (e) { /* private mode */ }
  if (match) {
    try { window.localStorage.setItem("lx_elder", match[1]); } catch (e) { /* private mode */ }
    return;
  }
  if (stored !== "1" && stored !== "0") { return; }
  document.cookie = "lx_elder=" + stored + "; path=/; max-age=31536000; samesite=lax";
  if (stored !== "1") { return; }
  root.classList.add("lx-elder");
  // The page was rendered for the standard mode: the switch must now offer the way back.
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-testid=elder-switch]");
    if (!button) { return; }
    button.form.elements.on.value = "0";
    button.textContent = button.getAttribute("data-label-on");
  });
})();
