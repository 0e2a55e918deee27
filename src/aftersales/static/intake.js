(function () {
  const customer = document.getElementById("id_customer"), site = document.getElementById("id_site");
  if (!customer || !site) return;
  function only() {
    for (const option of site.options) {
      if (!option.dataset.customer) continue;
      option.hidden = option.disabled = option.dataset.customer !== customer.value;
    }
    if (site.selectedOptions.length && site.selectedOptions[0].disabled) { site.value = ""; }
  }
  customer.addEventListener("change", only); only();
  window.onlyCustomerSites = only;
})();
// The open requests found while typing belong to the units listed; once a unit is
// chosen (picked or typed), only its own open requests still concern the agent.
function onlyUnitWarnings() {
  const serial = (document.getElementById("id_serial_number") || {}).value || "";
  for (const warning of document.querySelectorAll("[data-open-request]")) {
    warning.hidden = serial.trim() !== "" && warning.dataset.serial.toUpperCase() !== serial.trim().toUpperCase();
  }
}
document.addEventListener("input", function (event) {
  if (event.target.id === "id_serial_number") onlyUnitWarnings();
});
// A serial typed straight into its field is looked up too, so the unit's open request
// (R-SR-10) is shown without the search box.
document.addEventListener("change", function (event) {
  if (event.target.id !== "id_serial_number") return;
  const serial = event.target.value.trim(), box = document.getElementById("lookup-q");
  if (serial.length < 3 || !box || box.value.trim().toUpperCase() === serial.toUpperCase()) return;
  box.value = serial;
  if (window.htmx) window.htmx.trigger(box, "search");
});
document.addEventListener("htmx:afterSwap", onlyUnitWarnings);
document.addEventListener("click", function (event) {
  const pick = event.target.closest("[data-pick]");
  if (!pick) return;
  const set = (id, value) => { const el = document.getElementById(id); if (el && value) { el.value = value; } };
  set("id_customer", pick.dataset.customer);
  window.onlyCustomerSites && window.onlyCustomerSites();
  set("id_site", pick.dataset.site);
  set("id_serial_number", pick.dataset.serial);
  set("id_caller_name", pick.dataset.name);
  set("id_caller_phone", pick.dataset.phone);
  const typed = document.getElementById("lookup-q").value.trim();
  if (!pick.dataset.phone && !document.getElementById("id_caller_phone").value && /^[0-9+ -]{5,}$/.test(typed)) {
    set("id_caller_phone", typed);
  }
  onlyUnitWarnings();
  document.getElementById("id_description").focus();
});
