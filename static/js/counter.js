// Long text: a counter instead of the browser's silent cut. A field's limit (maxlength,
// from the form, or data-maxlength) becomes data-maxlength, so nothing is cut off: the
// person sees how many characters are left, and how many too many, and the server says
// the same if the text is sent anyway. Words come translated on this script's tag.
(function () {
  "use strict";
  const words = document.currentScript ? document.currentScript.dataset : {};
  const SELECTOR = "textarea[maxlength], textarea[data-maxlength], input[maxlength]:not([type=password]), input[data-maxlength]";
  const SHOW_FROM = 0.8; // the counter appears near the limit

  function fill(template, n, max) {
    return (template || "{num} / {max}").replace("{num}", n).replace("{max}", max);
  }

  function attach(field) {
    if (field.dataset.counted) return;
    const max = parseInt(field.getAttribute("maxlength") || field.dataset.maxlength, 10);
    if (!max) return;
    field.dataset.counted = "1";
    field.dataset.maxlength = String(max);
    field.removeAttribute("maxlength");
    const counter = document.createElement("div");
    counter.className = "form-text text-counter";
    counter.id = (field.id || field.name) + "-counter";
    const count = document.createElement("span");
    count.setAttribute("aria-hidden", "true");
    const over = document.createElement("span"); // a live region: speaks when it changes
    over.setAttribute("aria-live", "polite");
    counter.append(count, " ", over);
    field.insertAdjacentElement("afterend", counter);
    let wasOver = null;
    function update() {
      const length = field.value.length;
      const tooMany = length > max;
      counter.hidden = length < max * SHOW_FROM;
      count.textContent = fill(words.count, length, max);
      counter.classList.toggle("text-danger", tooMany);
      if (tooMany !== wasOver) {
        over.textContent = tooMany ? fill(words.over, length - max, max) : "";
        wasOver = tooMany;
      }
    }
    field.addEventListener("input", update);
    update();
  }

  function scan(root) {
    if (!root.querySelectorAll) return;
    if (root.matches && root.matches(SELECTOR)) attach(root);
    root.querySelectorAll(SELECTOR).forEach(attach);
  }
  scan(document);
  if (window.htmx) htmx.onLoad(scan);
})();
