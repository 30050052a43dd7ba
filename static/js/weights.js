// The template form's weight total, kept up to date while a coordinator edits the
// sections (the server refuses any total but 100 and says the sum; this says it sooner).
(function () {
  "use strict";
  const total = document.querySelector("[data-weight-total]");
  const form = total ? total.closest("form") : null;
  if (!form) return;
  const template = total.dataset.template || "{total}%";

  function update() {
    let sum = 0;
    form.querySelectorAll(".section-row").forEach(function (row) {
      const remove = row.querySelector('input[name$="-remove"]');
      const weight = row.querySelector('input[name$="-weight"]');
      if (!weight || (remove && remove.checked)) return;
      const value = parseInt(weight.value, 10);
      if (!isNaN(value)) sum += value;
    });
    total.textContent = template.replace("{total}", sum);
    total.dataset.weightTotal = String(sum);
    total.classList.toggle("text-danger", sum !== 100);
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
})();
