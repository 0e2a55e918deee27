// Behaviour every page shares, kept out of the HTML so the pages run under a strict
// Content-Security-Policy (no inline scripts or handlers).
document.addEventListener("change", function (event) {
  const select = event.target.closest("[data-autosubmit]");
  if (select && select.form) { select.form.submit(); }
});
// A refused form's page: back to the form, where the browser kept what was typed.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-back]")) { history.back(); }
});
// A step refused beside its form, far down a long (phone) page: show it, not the top.
document.addEventListener("DOMContentLoaded", function () {
  const refused = document.querySelector("[data-refused]");
  if (refused) { refused.scrollIntoView({ block: "center" }); }
});
