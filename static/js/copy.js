// "Copy" buttons: copy the text of the field named by data-copy-target.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copyTarget);
  field.select();
  const done = () => {
    const status = document.getElementById("copy-status");
    if (status) status.textContent = button.dataset.copiedText;
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => document.execCommand("copy") && done());
  } else if (document.execCommand("copy")) {
    done();
  }
});
