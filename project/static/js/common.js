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

// <a data-popup="features" target="name">: open the link in a window of its own (the counter's
// mirror goes to the second monitor); without JavaScript the target opens it in a new tab.
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-popup]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (window.open(link.href, link.target || "_blank", link.dataset.popup)) event.preventDefault();
  });
})();
