// 常用语: one tap inserts a canned reply into its box, where it is edited before sending.
// Delegated from the document: the request panel is swapped by htmx after every step.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-canned-text]");
    if (!button) return;
    event.preventDefault();
    var form = button.closest("form");
    var box = (form && form.querySelector(button.dataset.cannedTarget)) ||
      document.querySelector(button.dataset.cannedTarget);
    if (!box) return;
    var text = button.dataset.cannedText;
    var current = box.value.trim();
    box.value = current ? current + (box.tagName === "TEXTAREA" ? "\n" : " ") + text : text;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  });
})();
