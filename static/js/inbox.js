// The copy button of the forwarding address; without JavaScript the address is selectable.
document.querySelectorAll("[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const status = document.querySelector("[data-copy-status]");
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(field.value).then(
      () => { if (status) status.textContent = "Copied."; },
      () => { field.select(); if (status) status.textContent = "Press Ctrl+C to copy."; },
    );
  });
});
