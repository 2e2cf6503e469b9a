// Form editor: 게시하기 waits for the edits on the page to be saved. The
// publish service refuses a draft whose saved rows and schema disagree; this
// catches edits that never left the browser.
(function () {
  "use strict";
  const editor = document.getElementById("formversion_form");
  const publish = document.querySelector("[data-publish-form]");
  const warning = document.querySelector("[data-unsaved-warning]");
  if (!editor || !publish || !warning) return;
  let dirty = false;
  const mark = () => { dirty = true; };
  editor.addEventListener("input", mark);
  editor.addEventListener("change", mark);
  publish.addEventListener("submit", (e) => {
    if (!dirty) return;
    e.preventDefault();
    warning.hidden = false;
    warning.scrollIntoView({ block: "center" });
  });
})();
