// Admin: the phone preview follows the schema editor as the admin types.
(function () {
  "use strict";
  const editor = document.querySelector("textarea[name=schema]");
  const form = document.getElementById("preview-form");
  if (!editor || !form) return;
  let timer = null;
  editor.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { form.querySelector("#preview-schema").value = editor.value; form.submit(); }, 400);
  });
})();
