// "새올 입력용 복사": one click puts the mapped values (tab-separated, in the back office's order)
// on the clipboard. Without script the values stay in the read-only box to select and copy.
(function () {
  if (window.minwonBackofficeCopy) return; // the check view's fragment is swapped in again and again
  window.minwonBackofficeCopy = true;

  function reveal() {
    document.querySelectorAll("[data-copy-target][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function copied(button, ok) {
    var status = button.parentElement.querySelector("[data-copy-status]");
    if (status) status.textContent = ok ? "복사했습니다. 새올 입력 화면에 붙여 넣으세요." : "복사하지 못했습니다. 칸의 값을 직접 선택해 복사하세요.";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var box = document.getElementById(button.getAttribute("data-copy-target"));
    if (!box) return;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(function () { copied(button, true); }, function () { copied(button, false); });
      return;
    }
    box.select();
    copied(button, document.execCommand("copy"));
  });
  document.addEventListener("htmx:afterSwap", reveal);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", reveal);
  else reveal();
})();
