// Profile lists (education, work, certificates): "添加…" adds an empty row in place.
// Without this script the same button submits the page, which comes back with one more
// row (applicants.views.profile): no inline script, so the Content-Security-Policy holds.
(function () {
  "use strict";
  document.querySelectorAll(".formset-add").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var set = button.closest("fieldset");
      var total = set.querySelector('input[name$="-TOTAL_FORMS"]');
      var template = set.querySelector("template.formset-empty");
      if (!total || !template) { return; }
      event.preventDefault();
      var index = parseInt(total.value, 10);
      set.querySelector(".formset-rows").insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index));
      total.value = index + 1;
      var none = set.querySelector(".formset-none");
      if (none) { none.remove(); }
      var rows = set.querySelectorAll(".formset-row");
      var first = rows[rows.length - 1].querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
  });
})();
