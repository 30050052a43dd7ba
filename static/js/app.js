// Every page: say what htmx changed, and keep keyboard focus where the person works.
(function () {
  "use strict";

  // A region that exists from the first paint: screen readers announce changes to it,
  // which they do not reliably do for a role="status" element that a swap brings in.
  function announce(text) {
    const region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  document.body.addEventListener("htmx:afterSettle", function (evt) {
    const content = evt.detail.elt;
    if (!content || !content.isConnected || !content.querySelector) return;
    const notice = content.matches("[data-announce]") ? content : content.querySelector("[data-announce]");
    if (notice) announce(notice.textContent.trim());
    // A refused form: go to the first field with an error (its message is its description).
    const invalid = content.querySelector("[aria-invalid=true]");
    if (invalid && !(document.activeElement && document.activeElement.getAttribute("aria-invalid") === "true")) {
      invalid.focus();
    } else if (notice && (!document.activeElement || document.activeElement === document.body)) {
      // The control that was used went away with the swap: continue from its outcome.
      notice.tabIndex = -1;
      notice.focus();
    }
  });

  // Tabs that arrive with htmx (the card panel) get Bootstrap's arrow-key handling too.
  htmx.onLoad(function (content) {
    if (!content.querySelectorAll || typeof bootstrap === "undefined") return;
    content.querySelectorAll('[data-bs-toggle="tab"]').forEach(function (el) {
      bootstrap.Tab.getOrCreateInstance(el);
    });
  });

  // A select that goes where it is set (the programme switcher): no inline handler, the
  // Content-Security-Policy allows scripts from our files only.
  document.addEventListener("change", function (evt) {
    const select = evt.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.requestSubmit();
    }
  });

  // A full page that comes back with errors (no JavaScript needed to read them, but
  // with it focus starts at the first one).
  const first = document.querySelector("main [aria-invalid=true]");
  if (first && !document.querySelector("[autofocus]")) first.focus();
})();
