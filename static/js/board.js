// The kanban board: SortableJS drag-and-drop posting moves through htmx, the Move
// dialog, the card side panel, and keeping cards in place after a move.
(function () {
  "use strict";

  const moveDialog = () => document.getElementById("move-dialog");
  const panel = () => document.getElementById("card-panel");
  let pending = null; // the card being moved by a drag, and where it came from
  let returnFocusTo = null; // card id whose Move control opened the dialog
  let panelOpener = null; // the card link that opened the side panel

  // A card is its list's <li id="card-N"> (no class: app.css styles it by position).
  const CARD = ".board-list > li";
  const isCard = (el) => el && el.nodeType === 1 && el.matches(CARD);

  function cardId(el) {
    return isCard(el) ? el.id.slice("card-".length) : "";
  }

  // A card's move URL: its list knows the prefix and the filters (built once a page).
  function moveUrl(card) {
    const list = card.closest("[data-cards]");
    return list.dataset.cards + cardId(card) + "/move" + (list.dataset.query || "");
  }

  function neighbour(el, direction) {
    let sibling = direction < 0 ? el.previousElementSibling : el.nextElementSibling;
    while (sibling && !isCard(sibling)) {
      sibling = direction < 0 ? sibling.previousElementSibling : sibling.nextElementSibling;
    }
    return sibling;
  }

  function postMove(item, from) {
    pending = { item: item, from: from.list, next: from.next };
    htmx.ajax("POST", moveUrl(item), {
      source: item,
      target: "#move-dialog-body",
      swap: "innerHTML",
      values: {
        stage: item.parentElement.dataset.stage,
        version: item.dataset.version,
        after_id: cardId(neighbour(item, -1)),
        before_id: cardId(neighbour(item, 1)),
        from_stage: from.list.dataset.stage,
      },
    });
  }

  function initSortable(root) {
    if (typeof Sortable === "undefined") return;
    root.querySelectorAll("[data-sortable]").forEach(function (list) {
      if (list.sortable) return;
      let origin = null;
      list.sortable = Sortable.create(list, {
        group: list.dataset.sortable,
        draggable: "li",
        handle: "li > i:first-child",
        // Pointer-event fallback: the same code path for mouse and touch. Only the handle
        // drags (it has touch-action: none), so touching the rest of a card still scrolls.
        forceFallback: true,
        fallbackTolerance: 4,
        animation: 120,
        ghostClass: "board-card-ghost",
        chosenClass: "board-card-chosen",
        onStart: function (evt) {
          origin = { list: evt.from, next: evt.item.nextElementSibling };
        },
        onEnd: function (evt) {
          if (evt.from === evt.to && evt.oldIndex === evt.newIndex) return;
          postMove(evt.item, origin);
        },
      });
    });
  }

  // A refused drag puts the card back where it was, before the answer is shown.
  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    if (!pending || evt.detail.requestConfig.elt !== pending.item) return;
    if (evt.detail.xhr.status >= 400 && pending.from.isConnected) {
      pending.from.insertBefore(pending.item, pending.next && pending.next.isConnected ? pending.next : null);
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (evt) {
    if (pending && evt.detail.requestConfig.elt === pending.item) pending = null;
  });

  // Anything swapped into the dialog shows it; an empty answer (a done move) hides it.
  document.body.addEventListener("htmx:afterSwap", function (evt) {
    const target = evt.detail.target;
    if (target && target.id === "move-dialog-body") {
      const modal = bootstrap.Modal.getOrCreateInstance(moveDialog());
      if (target.innerHTML.trim()) {
        const trigger = evt.detail.requestConfig.elt;
        const card = trigger && trigger.closest ? trigger.closest(CARD) : null;
        if (card) returnFocusTo = cardId(card);
        modal.show();
        focusFirst(target);
      } else {
        modal.hide();
      }
    }
    if (target && target.id === "card-panel-body") {
      const opener = evt.detail.requestConfig.elt;
      panelOpener = opener && opener.closest ? opener.closest(CARD) : null;
      bootstrap.Offcanvas.getOrCreateInstance(panel()).show();
    }
  });

  function focusFirst(container) {
    const el = container.querySelector("[autofocus]") || container.querySelector("select, textarea, input:not([type=hidden])");
    if (!el) return;
    if (moveDialog().classList.contains("show")) el.focus();
    else moveDialog().addEventListener("shown.bs.modal", () => el.focus(), { once: true });
  }

  // After a move, put the redrawn card where it now belongs in the lists on screen.
  document.body.addEventListener("board:moved", function (evt) {
    const detail = evt.detail;
    const card = document.getElementById("card-" + detail.card);
    const list = document.getElementById(detail.list);
    const dialog = moveDialog();
    if (dialog) bootstrap.Modal.getOrCreateInstance(dialog).hide();
    if (!card) return;
    if (!list) {
      card.remove();
      return;
    }
    const after = detail.after && document.getElementById("card-" + detail.after);
    const before = detail.before && document.getElementById("card-" + detail.before);
    const more = document.getElementById("more-" + detail.list.slice("cards-".length));
    const fullyLoaded = !(more && more.querySelector("[hx-get]"));
    if (after && after.parentElement === list) after.after(card);
    else if (before && before.parentElement === list) before.before(card);
    else if (fullyLoaded) list.append(card);
    else card.remove(); // it belongs further down; it appears when that page loads
    const focusId = returnFocusTo;
    returnFocusTo = null;
    if (focusId) {
      if (list.dataset.stage) showStage(list.dataset.stage); // a phone shows where it went
      const control = document.querySelector("#card-" + focusId + " > button");
      if (control) control.focus();
    }
  });

  function focusIsLost(closed) {
    const active = document.activeElement;
    return !active || active === document.body || closed.contains(active);
  }

  // Closing the dialog or the panel (Esc, Close, Cancel) puts focus back on the card.
  document.addEventListener("hidden.bs.modal", function (evt) {
    if (evt.target !== moveDialog()) return;
    const id = returnFocusTo;
    returnFocusTo = null;
    const control = id && document.querySelector("#card-" + id + " > button");
    if (control && focusIsLost(moveDialog())) control.focus();
  });
  document.addEventListener("hidden.bs.offcanvas", function (evt) {
    if (evt.target !== panel() || !panelOpener) return;
    const link = document.querySelector("#" + panelOpener.id + " h3 a");
    panelOpener = null;
    if (link && focusIsLost(panel())) link.focus();
  });

  document.body.addEventListener("board:conflict", function () {
    const dialog = moveDialog();
    if (dialog) bootstrap.Modal.getOrCreateInstance(dialog).hide();
    returnFocusTo = null;
  });

  // Phone: one stage at a time. The choice lives on #board-body, which filter changes keep.
  function showStage(stage) {
    const body = document.getElementById("board-body");
    if (!body || !stage) return;
    body.dataset.shownStage = stage;
    document.querySelectorAll(".board-tab").forEach(function (tab) {
      if (tab.dataset.stage === stage) tab.setAttribute("aria-current", "true");
      else tab.removeAttribute("aria-current");
    });
  }

  document.body.addEventListener("click", function (evt) {
    const tab = evt.target.closest ? evt.target.closest(".board-tab") : null;
    if (!tab) return;
    evt.preventDefault();
    showStage(tab.dataset.stage);
  });

  // A card's Move control opens the move dialog; its title opens the side panel (a plain
  // link still opens the card's page in a new tab, or without JavaScript). One listener for
  // every card instead of htmx attributes on each: the board draws up to 150 cards a page.
  document.body.addEventListener("click", function (evt) {
    if (!evt.target.closest) return;
    const move = evt.target.closest(CARD + " > button");
    if (move) {
      evt.preventDefault();
      htmx.ajax("GET", moveUrl(move.parentElement), { source: move, target: "#move-dialog-body" });
      return;
    }
    const link = evt.target.closest(CARD + " h3 a");
    if (!link || evt.button !== 0 || evt.ctrlKey || evt.metaKey || evt.shiftKey || evt.altKey) return;
    evt.preventDefault();
    htmx.ajax("GET", link.getAttribute("href"), { source: link, target: "#card-panel-body" });
  });

  // New content (first paint, a filter change, another page of a column, a redraw).
  htmx.onLoad(function (content) {
    const body = document.getElementById("board-body");
    if (body) {
      const fromHash = /^#column-(\w+)$/.exec(location.hash);
      showStage(body.dataset.shownStage || (fromHash && fromHash[1]) || "creation");
    }
    initSortable(content.nodeType === 1 ? content : document);
    if (content.matches && content.matches("[data-sortable]")) initSortable(content.parentElement);
  });
})();
