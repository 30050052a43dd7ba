// A live word count under each entry section (textarea[data-word-limit]). The rule is the
// server's (incubator/pipeline/words.py), which stays authoritative: Markdown markers are
// not words, a link counts its text, and a piece between spaces counts when it holds a
// letter or digit ("anak-anak" is one word). Over the limit the counter turns red; the
// text is never cut. Words come translated on this script's tag.
(function () {
  "use strict";
  const words = document.currentScript ? document.currentScript.dataset : {};
  const LINK = /!?\[([^\]]*)\]\([^)]*\)/g;
  const ORDERED = /^[ \t]*\d+[.)](?=\s)/gm;
  const WORD = /[\p{L}\p{N}]/u;

  function countWords(text) {
    if (!text) return 0;
    const plain = text.replace(LINK, " $1 ").replace(ORDERED, " ");
    return plain.split(/\s+/).filter(function (piece) { return WORD.test(piece); }).length;
  }

  function fill(template, values) {
    return Object.keys(values).reduce(function (text, key) {
      return text.replace("{" + key + "}", values[key]);
    }, template || "");
  }

  function attach(field) {
    if (field.dataset.wordCounted) return;
    const counter = document.getElementById(field.dataset.wordCount);
    if (!counter) return;
    field.dataset.wordCounted = "1";
    const limit = parseInt(field.dataset.wordLimit, 10) || 0;
    function update() {
      const n = countWords(field.value);
      const over = limit && n > limit;
      let text = limit ? fill(words.limit, { num: n, max: limit }) : fill(words.nolimit, { num: n });
      if (over) text += " " + fill(words.over, { over: n - limit });
      counter.textContent = text;
      counter.classList.toggle("text-danger", Boolean(over));
      counter.classList.toggle("fw-semibold", Boolean(over));
      counter.dataset.over = over ? "1" : "0";
      field.classList.toggle("is-over-limit", Boolean(over));
    }
    field.addEventListener("input", update);
    update();
  }

  function scan(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("textarea[data-word-count]").forEach(attach);
  }
  scan(document);
  if (window.htmx) htmx.onLoad(scan);
})();
