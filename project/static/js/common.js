// Behaviour shared by every page. Inline handlers are not allowed by the
// Content Security Policy, so controls opt in with data attributes.
(function () {
  "use strict";
  // <select data-autosubmit>: submit its form on change (a button stays in
  // <noscript> for browsers without JavaScript).
  document.addEventListener("change", (event) => {
    const control = event.target.closest("[data-autosubmit]");
    if (control && control.form) control.form.requestSubmit();
  });
})();

// <button data-print>: open the browser's print dialog (the ticket slip's 80 mm print CSS does the rest).
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
