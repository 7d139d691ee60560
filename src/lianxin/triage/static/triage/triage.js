// 分派助手: a click on a suggestion fills the form field (a person still submits the form); on
// the workbench, a click on a suggested unit opens the dispatch confirmation (a person confirms).
(function () {
  if (window.lxTriage) return;
  window.lxTriage = true;
  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-triage-close]");
    if (close) {
      event.preventDefault();
      close.closest("dialog").close();
      return;
    }
    var pick = event.target.closest("[data-triage-dispatch]");
    if (pick) {
      event.preventDefault();
      var dialog = document.getElementById("lx-triage-dispatch");
      if (!dialog) return;
      var form = dialog.querySelector("form");
      form.elements.ids.value = pick.getAttribute("data-case");
      form.elements.to_unit.value = pick.getAttribute("data-unit");
      dialog.querySelector("[data-triage-case]").textContent = pick.getAttribute("data-code");
      dialog.querySelector("[data-triage-unit]").textContent = pick.getAttribute("data-unit-name");
      dialog.showModal();
      return;
    }
    var button = event.target.closest("[data-triage-fill]");
    if (!button) return;
    event.preventDefault();
    var field = document.querySelector(button.getAttribute("data-triage-fill"));
    if (!field) return;
    field.value = button.getAttribute("data-value");
    field.dispatchEvent(new Event("change", { bubbles: true }));
    var group = button.closest("[data-triage-group]");
    if (group) {
      group.querySelectorAll("[data-triage-fill]").forEach(function (b) { b.classList.remove("active"); });
    }
    button.classList.add("active");
  });
})();
