/* The portal's own behaviour, kept out of templates so the Content-Security-Policy can
   forbid inline scripts. Event delegation: works for content htmx swaps in too. */
(function () {
  "use strict";
  // <select data-submit-on-change>: choosing a value submits its form (the language box).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit-on-change") && target.form) {
      target.form.submit();
    }
  });
  // <form data-confirm="question">: ask before submitting (in place of an inline onsubmit).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
