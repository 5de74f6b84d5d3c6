// The annotation desk's only script: measure a selection in #article-body, open the annotate
// form beside it, and make highlights and the side panel point at each other.
//
// Offsets contract (docs/architecture.md, "The offsets contract"): the server counts Unicode code points; the DOM counts UTF-16
// code units. We measure in UTF-16 against the body's text, then convert by counting code
// points of the prefix, so an emoji before the selection counts once, not twice.
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const articleBody = () => $("article-body");
  const annotateForm = () => $("annotate-form");
  const popover = () => $("desk-popover");
  const narrow = window.matchMedia("(max-width: 900px)");

  let pointerStartedInBody = false;
  let lastFocus = null;
  let lastKeyAt = 0;

  // --- measuring ---------------------------------------------------------------------------

  function measureSelection(root) {
    const selection = window.getSelection();
    if (!root || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0).cloneRange();
    if (!range.intersectsNode(root)) return null;
    // A drag that runs past the body's edges keeps only the part inside it.
    const whole = document.createRange();
    whole.selectNodeContents(root);
    if (range.compareBoundaryPoints(Range.START_TO_START, whole) < 0) {
      range.setStart(whole.startContainer, whole.startOffset);
    }
    if (range.compareBoundaryPoints(Range.END_TO_END, whole) > 0) {
      range.setEnd(whole.endContainer, whole.endOffset);
    }
    const before = document.createRange();
    before.setStart(root, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const text = root.textContent;
    let start16 = before.toString().length;
    let end16 = start16 + range.toString().length;
    // Double-click and drag often take a space or line break along; the claim is the words.
    while (start16 < end16 && /\s/.test(text[start16])) start16++;
    while (end16 > start16 && /\s/.test(text[end16 - 1])) end16--;
    if (start16 >= end16) return null;
    return {
      start: Array.from(text.slice(0, start16)).length,
      end: Array.from(text.slice(0, end16)).length,
      exact: text.slice(start16, end16),
      rect: range.getBoundingClientRect(),
    };
  }

  // --- floating boxes ----------------------------------------------------------------------

  function place(box, rect) {
    box.classList.toggle("is-docked", narrow.matches);
    if (narrow.matches || !rect) return;
    const parent = box.offsetParent || document.body;
    const origin = parent.getBoundingClientRect();
    const width = box.offsetWidth;
    let left = rect.left - origin.left;
    left = Math.max(8, Math.min(left, parent.clientWidth - width - 8));
    box.style.left = `${left}px`;
    box.style.top = `${rect.bottom - origin.top + 10}px`;
  }

  function hidePopover() {
    const box = popover();
    if (!box || box.hidden) return;
    box.hidden = true;
    box.replaceChildren();
    if (lastFocus && lastFocus.isConnected) lastFocus.focus({ preventScroll: true });
  }

  function resetAnnotateForm() {
    const form = annotateForm();
    if (!form) return;
    form.reset();
    form.querySelectorAll("input[type=hidden]").forEach((input) => {
      if (input.name !== "csrfmiddlewaretoken") input.value = "";
    });
    form.querySelectorAll(".suggestions, .form-errors").forEach((el) => el.replaceChildren());
    updateClaimStatus(form);
    form.hidden = true;
  }

  function openAnnotateForm(measured, { focus }) {
    const form = annotateForm();
    if (!form) return;
    hidePopover();
    form.querySelector("[name=start]").value = measured.start;
    form.querySelector("[name=end]").value = measured.end;
    form.querySelector("[name=exact]").value = measured.exact;
    const quote = measured.exact.length > 240 ? `${measured.exact.slice(0, 240)}…` : measured.exact;
    $("annotate-quote").textContent = quote;
    $("annotate-errors").replaceChildren();
    form.hidden = false;
    place(form, measured.rect);
    if (focus) form.querySelector(".claim-input").focus({ preventScroll: true });
  }

  function onSelectionDone(event, viaKeyboard) {
    const form = annotateForm();
    if (!form) return; // reviewers read only
    const measured = measureSelection(articleBody());
    if (measured) openAnnotateForm(measured, { focus: !viaKeyboard });
  }

  // --- highlights and the panel ------------------------------------------------------------

  function marksOf(id) {
    const root = articleBody();
    return root ? root.querySelectorAll(`mark[data-annotations~="${CSS.escape(String(id))}"]`) : [];
  }

  function setActive(id, on) {
    marksOf(id).forEach((mark) => mark.classList.toggle("is-active", on));
  }

  function flash(id, { jump = true } = {}) {
    const marks = marksOf(id);
    if (!marks.length) return false;
    const anchor = $(`annotation-${id}`);
    // A link lands in the middle of the screen; after a save, the words are usually in view
    // already and the page must not move under the editor's mouse.
    (anchor || marks[0]).scrollIntoView({ block: jump ? "center" : "nearest" });
    marks.forEach((mark) => {
      mark.classList.remove("flash");
      void mark.offsetWidth; // restart the animation when flashing the same words twice
      mark.classList.add("flash");
    });
    return true;
  }

  function showDetails(ids, rect) {
    const layout = $("article-layout");
    const box = popover();
    if (!layout || !box || !ids.length) return;
    lastFocus = document.activeElement;
    const url = `${layout.dataset.cardsUrl}?ids=${encodeURIComponent(ids.join(","))}`;
    htmx.ajax("GET", url, { target: box, swap: "innerHTML" }).then(() => {
      const form = annotateForm();
      if (form) form.hidden = true;
      box.hidden = false;
      place(box, rect);
      box.setAttribute("tabindex", "-1");
      box.focus({ preventScroll: true });
    });
  }

  function idsOf(mark) {
    return (mark.dataset.annotations || "").split(" ").filter(Boolean);
  }

  // --- the claim type-ahead ----------------------------------------------------------------

  function updateClaimStatus(form) {
    const input = form.querySelector(".claim-input");
    const status = form.querySelector(".claim-status");
    const chosen = form.querySelector(".claim-id");
    if (!input || !status || !chosen) return;
    const typed = input.value.trim();
    if (chosen.value) {
      status.textContent = `Existing claim${chosen.dataset.reach ? ` · ${chosen.dataset.reach}` : ""}`;
      status.className = "claim-status small is-existing";
    } else if (typed && sameStatement(form.querySelector(".suggestion.is-exact"), typed)) {
      status.textContent = `Existing claim: “${typed}” (saving reuses it)`;
      status.className = "claim-status small is-existing";
    } else if (typed) {
      status.textContent = `New claim: “${typed}”`;
      status.className = "claim-status small is-new";
    } else {
      status.textContent = "";
      status.className = "claim-status small";
    }
  }

  // The server's rule for one claim: case- and whitespace-insensitive.
  const statementKey = (text) => text.trim().split(/\s+/).join(" ").toLowerCase();
  function sameStatement(button, typed) {
    return Boolean(button) && statementKey(button.dataset.statement || "") === statementKey(typed);
  }

  function chooseSuggestion(button) {
    const form = button.closest("form");
    if (!form) return;
    const chosen = form.querySelector(".claim-id");
    const input = form.querySelector(".claim-input");
    chosen.value = button.dataset.claimId;
    chosen.dataset.reach = button.dataset.reach || "";
    chosen.dataset.statement = button.dataset.statement;
    input.value = button.dataset.statement;
    form.querySelector(".suggestions").replaceChildren();
    updateClaimStatus(form);
    const stance = form.querySelector("input[name=stance]");
    if (stance) stance.focus();
  }

  // --- wiring (delegated: the body and panel are swapped after every change) ---------------

  document.addEventListener("mousedown", (event) => {
    pointerStartedInBody = Boolean(event.target.closest && event.target.closest("#article-body"));
  });

  document.addEventListener("mouseup", (event) => {
    if (!pointerStartedInBody) return;
    pointerStartedInBody = false;
    const at = performance.now();
    // Let the browser finish updating the selection before it is measured; a key pressed
    // meanwhile (Shift+arrow right after a click) wins, and keeps the focus in the text.
    window.setTimeout(() => {
      if (lastKeyAt < at) onSelectionDone(event, false);
    }, 0);
  });

  document.addEventListener("keyup", (event) => {
    if (!event.target.closest || !event.target.closest("#article-body")) return;
    if (event.key === "Escape" || event.key === "Enter" || event.key === "Tab") return;
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) onSelectionDone(event, true);
  });

  // Chromium moves a caret through non-editable text only with caret browsing (F7) turned on,
  // so the body gets its own: arrows move the caret, Shift+arrows extend the selection
  // (Ctrl/Alt for words, Home/End for the line).
  const CARET_KEYS = {
    ArrowLeft: ["backward", "character"],
    ArrowRight: ["forward", "character"],
    ArrowUp: ["backward", "line"],
    ArrowDown: ["forward", "line"],
    Home: ["backward", "lineboundary"],
    End: ["forward", "lineboundary"],
  };

  function moveCaret(event) {
    const step = CARET_KEYS[event.key];
    const root = articleBody();
    const selection = window.getSelection();
    if (!step || !root || !selection || typeof selection.modify !== "function") return false;
    if (!event.target.closest || event.target.closest("#article-body") !== root) return false;
    if (selection.rangeCount === 0 || !root.contains(selection.anchorNode)) {
      selection.collapse(root, 0);
    }
    const granularity =
      step[1] === "character" && (event.ctrlKey || event.altKey) ? "word" : step[1];
    selection.modify(event.shiftKey ? "extend" : "move", step[0], granularity);
    const node = selection.focusNode;
    const element = node && (node.nodeType === Node.TEXT_NODE ? node.parentElement : node);
    if (element && element !== root) element.scrollIntoView({ block: "nearest" });
    return true;
  }

  document.addEventListener("keydown", (event) => {
    lastKeyAt = performance.now();
    if (moveCaret(event)) {
      event.preventDefault();
      return;
    }
    if (event.key === "Escape") {
      const box = popover();
      if (box && !box.hidden) {
        hidePopover();
        event.preventDefault();
        return;
      }
      const form = annotateForm();
      if (form && !form.hidden) {
        resetAnnotateForm();
        const root = articleBody();
        if (root) root.focus({ preventScroll: true });
        event.preventDefault();
      }
      return;
    }
    if (event.key !== "Enter" || !event.target.closest || !event.target.closest("#article-body")) {
      return;
    }
    const form = annotateForm();
    const selection = window.getSelection();
    if (form && !form.hidden && selection && !selection.isCollapsed) {
      // Keyboard selection done: Enter moves into the form.
      event.preventDefault();
      form.querySelector(".claim-input").focus();
      return;
    }
    const mark = event.target.closest("mark.hl");
    if (mark) {
      event.preventDefault();
      showDetails(idsOf(mark), mark.getBoundingClientRect());
    }
  });

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (!target.closest) return;
    const action = target.closest("[data-action]");
    if (action && action.dataset.action === "cancel") {
      event.preventDefault();
      resetAnnotateForm();
      return;
    }
    if (action && action.dataset.action === "close") {
      event.preventDefault();
      hidePopover();
      return;
    }
    const suggestion = target.closest("button.suggestion");
    if (suggestion) {
      chooseSuggestion(suggestion);
      return;
    }
    const quote = target.closest(".entry-quote");
    if (quote) {
      const id = quote.dataset.annotation;
      flash(id);
      const first = marksOf(id)[0];
      if (first) showDetails([id], first.getBoundingClientRect());
      return;
    }
    const mark = target.closest("#article-body mark.hl");
    const selection = window.getSelection();
    if (mark && (!selection || selection.isCollapsed)) {
      showDetails(idsOf(mark), mark.getBoundingClientRect());
    }
  });

  document.addEventListener("input", (event) => {
    if (!event.target.classList || !event.target.classList.contains("claim-input")) return;
    const form = event.target.closest("form");
    const chosen = form.querySelector(".claim-id");
    if (chosen.value && event.target.value.trim() !== (chosen.dataset.statement || "").trim()) {
      chosen.value = "";
      chosen.dataset.reach = "";
    }
    updateClaimStatus(form);
  });

  const entryOf = (event) => event.target.closest && event.target.closest(".panel-entry[data-annotation]");
  document.addEventListener("mouseover", (event) => {
    const entry = entryOf(event);
    if (entry) setActive(entry.dataset.annotation, true);
  });
  document.addEventListener("mouseout", (event) => {
    const entry = entryOf(event);
    if (entry && !entry.contains(event.relatedTarget)) setActive(entry.dataset.annotation, false);
  });
  document.addEventListener("focusin", (event) => {
    const entry = entryOf(event);
    if (entry) setActive(entry.dataset.annotation, true);
  });
  document.addEventListener("focusout", (event) => {
    const entry = entryOf(event);
    if (entry) setActive(entry.dataset.annotation, false);
  });

  // The server names the highlight it just wrote; show the editor where it landed.
  document.addEventListener("annotationsChanged", (event) => {
    resetAnnotateForm();
    hidePopover();
    const selection = window.getSelection();
    if (selection) selection.removeAllRanges();
    const id = event.detail && event.detail.id;
    if (id) flash(id, { jump: false });
  });

  // A freshly swapped-in edit form: say which claim it points at; fresh suggestions may
  // show that the typed text is an existing claim.
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (!target || !target.querySelectorAll) return;
    if (target.classList.contains("suggestions") && target.closest("form")) {
      updateClaimStatus(target.closest("form"));
      return;
    }
    target.querySelectorAll("form").forEach((form) => {
      const chosen = form.querySelector(".claim-id");
      const input = form.querySelector(".claim-input");
      if (chosen && input && chosen.value) chosen.dataset.statement = input.value;
      updateClaimStatus(form);
    });
  });

  function flashFromHash() {
    const match = /^#annotation-(\d+)$/.exec(window.location.hash);
    if (match) flash(match[1]);
  }
  window.addEventListener("hashchange", flashFromHash);
  narrow.addEventListener("change", () => {
    [annotateForm(), popover()].forEach((box) => box && box.classList.toggle("is-docked", narrow.matches));
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", flashFromHash);
  } else {
    flashFromHash();
  }
})();
