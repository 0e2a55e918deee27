document.querySelectorAll(".sign-form").forEach(function (form) {
  const pad = form.querySelector(".pad");
  const ctx = pad.getContext("2d");
  function fit() { const w = pad.clientWidth; if (pad.width !== w) { pad.width = w; } ctx.lineWidth = 2.5; ctx.lineCap = "round"; }
  fit(); window.addEventListener("resize", fit);
  const fold = form.closest("details"); if (fold) { fold.addEventListener("toggle", fit); }
  let drawing = false, drawn = false;
  function at(e) { const r = pad.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
  pad.addEventListener("pointerdown", e => { drawing = true; const [x, y] = at(e); ctx.beginPath(); ctx.moveTo(x, y); pad.setPointerCapture(e.pointerId); });
  pad.addEventListener("pointermove", e => { if (!drawing) return; const [x, y] = at(e); ctx.lineTo(x, y); ctx.stroke(); drawn = true; });
  pad.addEventListener("pointerup", () => { drawing = false; });
  form.querySelector(".clear-pad").addEventListener("click", () => { ctx.clearRect(0, 0, pad.width, pad.height); drawn = false; });
  form.addEventListener("submit", () => { form.querySelector(".signature-value").value = drawn ? pad.toDataURL("image/png") : ""; });
});
