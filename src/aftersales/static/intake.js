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
  document.getElementById("id_description").focus();
});
