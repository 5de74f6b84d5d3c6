// The annotation desk's only script: measure a selection in #article-body, open the annotate
// form beside it, and make highlights and the side panel point at each other.
//
// Offsets contract (docs/architecture.md, "The offsets contract"): the server counts Unicode code points; the DOM counts UTF-16
// code units. We measure in UTF-16 against the body's text, then convert by counting code
// points of the prefix, so an emoji before the selection counts once, not twice.
//
// Three ways to finish a selection: mouseup (desktop), keyup (Shift+arrows) open the form at
// once; touch selection fires neither, so a settled `selectionchange` offers a floating
// "Annotate" button beside the words instead (docs/architecture.md, "The desk in the browser").
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const articleBody = () => $("article-body");
  const annotateForm = () => $("annotate-form");
  const popover = () => $("desk-popover");
  const narrow = window.matchMedia("(max-width: 900px)");

  let pointerStartedInBody = false;
  let mouseIsDown = false;
  let downAt = null; // where the last mouse press was, to tell a click from a drag
  let lastFocus = null;
  let lastKeyAt = 0;
  let openedFor = ""; // the selection (its key) the annotate form was opened for
  let offered = null; // the measured selection the Annotate button stands for
  let detailsTicket = 0; // bumped by the annotate form: a popover asked for earlier loses

  const SELECTION_SETTLE_MS = 250; // touch handles fire selectionchange on every step
  const DRAG_PX = 4; // a press that moved farther than this is a drag, not a click

  // --- measuring ---------------------------------------------------------------------------

  // Word characters: letters of any script, combining marks and digits. An apostrophe or a
  // hyphen between two of them is inside the word ("don't", "Ростов-на-Дону", "COVID-19"),
  // and so is a point or comma between two digits ("2.5", "1,000").
  const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
  const JOINER = /^['\u2019\u02BC\-\u2010\u2011]$/u;
  const DIGIT = /^\p{N}$/u;
  const NUMBER_JOINER = /^[.,]$/;

  // The code point (one or two UTF-16 units) that starts at, or ends at, UTF-16 index i.
  function charAt(text, i) {
    return i >= 0 && i < text.length ? String.fromCodePoint(text.codePointAt(i)) : "";
  }
  function charBefore(text, i) {
    if (i <= 0) return "";
    if (i >= 2 && /[\uDC00-\uDFFF]/.test(text[i - 1]) && /[\uD800-\uDBFF]/.test(text[i - 2])) {
      return text.slice(i - 2, i);
    }
    return text[i - 1];
  }

  function inWord(text, i) {
    const ch = charAt(text, i);
    if (!ch) return false;
    if (WORD_CHAR.test(ch)) return true;
    const before = charBefore(text, i);
    const after = charAt(text, i + ch.length);
    if (JOINER.test(ch)) return WORD_CHAR.test(before) && WORD_CHAR.test(after);
    return NUMBER_JOINER.test(ch) && DIGIT.test(before) && DIGIT.test(after);
  }

  // A selection that cuts a word ("remlin … Pesk") grows to the whole words at either end.
  function snapToWords(text, start, end) {
    const cutsWord = (i) => inWord(text, i) && inWord(text, i - charBefore(text, i).length);
    while (start > 0 && cutsWord(start)) start -= charBefore(text, start).length;
    while (end < text.length && cutsWord(end)) end += charAt(text, end).length;
    return [start, end];
  }

  // The selection in the body, in code points; whole words unless `exact` (Alt held).
  function measureSelection(root, { exact = false } = {}) {
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
    const key = `${start16}:${end16}`; // the selection as the browser has it
    // Double-click and drag often take a space or line break along; the claim is the words.
    while (start16 < end16 && /\s/.test(text[start16])) start16++;
    while (end16 > start16 && /\s/.test(text[end16 - 1])) end16--;
    if (start16 >= end16) return null;
    if (!exact) [start16, end16] = snapToWords(text, start16, end16);
    const lines = range.getClientRects();
    return {
      key,
      range, // to place the form where the words are when it opens (the page may scroll)
      start: Array.from(text.slice(0, start16)).length,
      end: Array.from(text.slice(0, end16)).length,
      exact: text.slice(start16, end16),
      rect: range.getBoundingClientRect(),
      lastLine: lines.length ? lines[lines.length - 1] : range.getBoundingClientRect(),
    };
  }

  // --- floating boxes ----------------------------------------------------------------------

  // Where the annotate form and the highlight popover go. They must fit in the window, below
  // the site header while it is in sight, and leave the quoted words visible when there is
  // room: below the words, else above them, else beside them; else on the larger side of
  // them, scrolling inside; only when even that is too cramped, over them. The box scrolls
  // inside (at most the room found: its max-height) and keeps its footer — the errors,
  // Save/Cancel — pinned (site.css). On a narrow screen the box is a bottom sheet and the page
  // scrolls the words above it.
  const GAP = 10; // between the words and the box
  const EDGE = 8; // between the box and the window's edges (or the header)
  const CRAMPED = 260; // a box shorter than this is too small to fill in

  // The part of the window a box may use, in viewport coordinates.
  function usableArea() {
    const header = document.querySelector(".site-header");
    const headerBottom = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    const html = document.documentElement;
    return { top: headerBottom + EDGE, bottom: html.clientHeight - EDGE, right: html.clientWidth - EDGE };
  }

  // What the box may still grow by once shown: an empty suggestions list fills as the claim
  // is typed. Reserving it now keeps the box from moving under the editor while typing.
  function growthRoom(box) {
    const list = box.querySelector(".suggestions");
    if (!list || list.querySelector("li")) return 0;
    return parseFloat(getComputedStyle(list).maxHeight) || 0;
  }

  const clamp = (value, lo, hi) => Math.max(lo, Math.min(value, hi));

  // `anchor` returns the words' viewport rectangle now (the page may have scrolled since);
  // `scroll`: whether a docked box may scroll the page to show the words above it.
  function place(box, anchor, { scroll = true } = {}) {
    box.placeAnchor = anchor;
    const docked = narrow.matches;
    box.classList.toggle("is-docked", docked);
    box.style.left = box.style.top = box.style.maxHeight = "";
    const rect = anchor && anchor();
    if (!rect) return;
    if (docked) {
      if (!scroll) return;
      // Scroll the words into the part of the window above the sheet.
      const by = Math.min(rect.bottom + GAP - box.getBoundingClientRect().top, rect.top - GAP);
      if (by > 0) window.scrollBy(0, by);
      return;
    }
    const area = usableArea();
    box.style.maxHeight = `${area.bottom - area.top}px`;
    const width = box.offsetWidth;
    const need = Math.min(box.offsetHeight + growthRoom(box), area.bottom - area.top);
    const below = area.bottom - (rect.bottom + GAP);
    const above = rect.top - GAP - area.top;
    let left = clamp(rect.left, EDGE, area.right - width);
    let top;
    let room; // the box's max-height
    if (need <= below) {
      [top, room] = [rect.bottom + GAP, below];
    } else if (need <= above) {
      [top, room] = [rect.top - GAP - need, need];
    } else if (rect.right + GAP + width <= area.right || rect.left - GAP - width >= EDGE) {
      // Beside the words (to the right if it fits there), as high as they are.
      left = rect.right + GAP + width <= area.right ? rect.right + GAP : rect.left - GAP - width;
      top = clamp(rect.top, area.top, area.bottom - need);
      room = area.bottom - top;
    } else if (Math.max(below, above) >= CRAMPED) {
      [top, room] = below >= above ? [rect.bottom + GAP, below] : [area.top, above];
    } else {
      // No room anywhere beside the words: over them, inside the window.
      top = clamp(rect.bottom + GAP, area.top, area.bottom - need);
      room = area.bottom - top;
    }
    const parent = box.offsetParent || document.body;
    const origin = parent.getBoundingClientRect();
    box.style.maxHeight = `${room}px`;
    box.style.left = `${left - origin.left}px`;
    box.style.top = `${top - origin.top}px`;
  }

  // The window changed size (or crossed the narrow breakpoint): place the open boxes again.
  function placeAgain() {
    [annotateForm(), popover()].forEach((box) => {
      if (box && !box.hidden && box.placeAnchor) place(box, box.placeAnchor, { scroll: false });
    });
  }

  // The floating "Annotate" button for a selection no mouseup or keyup finished (touch).
  function annotateButton() {
    let button = $("annotate-button");
    const form = annotateForm();
    if (!button && form) {
      button = document.createElement("button");
      button.type = "button";
      button.id = "annotate-button";
      button.className = "button primary annotate-button";
      button.dataset.action = "annotate";
      button.textContent = "Annotate";
      button.hidden = true;
      form.after(button); // the same containing block as the form
    }
    return button;
  }

  function offerAnnotateButton(measured) {
    const button = annotateButton();
    if (!button) return;
    offered = measured;
    button.hidden = false;
    const parent = button.offsetParent || document.body;
    const origin = parent.getBoundingClientRect();
    const line = measured.lastLine;
    // Under the end of the selection, clear of the touch handles drawn just below it.
    let left = line.right - origin.left - button.offsetWidth / 2;
    left = Math.max(8, Math.min(left, parent.clientWidth - button.offsetWidth - 8));
    button.style.left = `${left}px`;
    button.style.top = `${measured.rect.bottom - origin.top + 28}px`;
  }

  function withdrawAnnotateButton() {
    const button = $("annotate-button");
    if (button) button.hidden = true;
    offered = null;
  }

  function onSelectionSettled() {
    const form = annotateForm();
    if (!form || mouseIsDown) return; // a mouse drag is finished by mouseup
    const measured = measureSelection(articleBody());
    // Mouseup and keyup open the form at once; the button is for selections they missed.
    if (!measured || (!form.hidden && measured.key === openedFor)) {
      withdrawAnnotateButton();
      return;
    }
    offerAnnotateButton(measured);
  }

  // Closing gives the focus back to where the popover was opened from, unless `refocus` is
  // false (after a save the focus goes to the highlight instead).
  function hidePopover({ refocus = true } = {}) {
    const box = popover();
    if (!box || box.hidden) return;
    box.hidden = true;
    box.replaceChildren();
    if (refocus && lastFocus && lastFocus.isConnected) lastFocus.focus({ preventScroll: true });
  }

  function resetAnnotateForm() {
    const form = annotateForm();
    if (!form) return;
    form.reset();
    form.querySelectorAll("input[type=hidden]").forEach((input) => {
      if (input.name !== "csrfmiddlewaretoken") input.value = "";
    });
    form.querySelectorAll(".suggestions, .form-errors").forEach((el) => el.replaceChildren());
    suggestionsChanged(form);
    updateClaimStatus(form);
    updateClaimCount(form);
    hideDiscardPrompt();
    form.hidden = true;
    openedFor = "";
  }

  // Esc or Cancel with a typed claim or note asks first, inside the form (role=alertdialog).
  const discardPrompt = () => $("annotate-discard");
  function hasTypedText(form) {
    return [".claim-input", "textarea[name=note]"].some((sel) => {
      const field = form.querySelector(sel);
      return field && field.value.trim() !== "";
    });
  }

  function askToDiscard() {
    const prompt = discardPrompt();
    if (!prompt) return false;
    prompt.hidden = false;
    // The least destructive choice takes the focus (WAI-ARIA alert dialog pattern).
    prompt.querySelector("[data-action=keep-editing]").focus();
    return true;
  }

  function hideDiscardPrompt() {
    const prompt = discardPrompt();
    if (prompt) prompt.hidden = true;
  }

  function discardAnnotation() {
    resetAnnotateForm();
    const root = articleBody();
    if (root) root.focus({ preventScroll: true });
  }

  function keepEditing() {
    hideDiscardPrompt();
    const form = annotateForm();
    if (form) form.querySelector(".claim-input").focus();
  }

  function openAnnotateForm(measured, { focus }) {
    const form = annotateForm();
    if (!form) return;
    detailsTicket++; // a popover still loading (the first click of a double-click) stays shut
    withdrawAnnotateButton();
    hidePopover();
    hideDiscardPrompt();
    openedFor = measured.key;
    form.querySelector("[name=start]").value = measured.start;
    form.querySelector("[name=end]").value = measured.end;
    form.querySelector("[name=exact]").value = measured.exact;
    const quote = measured.exact.length > 240 ? `${measured.exact.slice(0, 240)}…` : measured.exact;
    $("annotate-quote").textContent = quote;
    $("annotate-errors").replaceChildren();
    form.hidden = false;
    place(form, () => measured.range.getBoundingClientRect());
    if (focus) form.querySelector(".claim-input").focus({ preventScroll: true });
  }

  // Alt held while selecting keeps exactly the selected characters (no snapping to words).
  function onSelectionDone(event, viaKeyboard) {
    const form = annotateForm();
    if (!form) return; // reviewers read only
    const measured = measureSelection(articleBody(), { exact: event.altKey });
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

  // Whether the element is wholly inside the window.
  function inView(element) {
    const r = element.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= document.documentElement.clientHeight;
  }

  function flash(id, { jump = true } = {}) {
    const marks = marksOf(id);
    if (!marks.length) return false;
    const anchor = $(`annotation-${id}`);
    // A link lands in the middle of the screen. After a save the words are usually in view
    // already and the page must not move under the editor; when they are not, the least
    // scrolling brings them in, a little away from the edge (scroll-margin, site.css).
    if (jump) (anchor || marks[0]).scrollIntoView({ block: "center" });
    else if (!inView(marks[0]) || !inView(marks[marks.length - 1])) {
      marks[0].scrollIntoView({ block: "nearest" });
    }
    marks.forEach((mark) => {
      mark.classList.remove("flash");
      void mark.offsetWidth; // restart the animation when flashing the same words twice
      mark.classList.add("flash");
    });
    return true;
  }

  // The popover of the highlights `ids`, beside `mark` (one of their runs).
  function showDetails(ids, mark) {
    const layout = $("article-layout");
    const box = popover();
    if (!layout || !box || !ids.length) return;
    lastFocus = document.activeElement;
    const ticket = ++detailsTicket;
    const url = `${layout.dataset.cardsUrl}?ids=${encodeURIComponent(ids.join(","))}`;
    // Swapped into the hidden box; shown only if the annotate form did not open meanwhile.
    htmx.ajax("GET", url, { target: box, swap: "innerHTML" }).then(() => {
      if (ticket !== detailsTicket) return;
      const form = annotateForm();
      if (form) form.hidden = true;
      box.hidden = false;
      place(box, () => (mark.isConnected ? mark.getBoundingClientRect() : null));
      box.setAttribute("tabindex", "-1");
      box.focus({ preventScroll: true });
    });
  }

  function idsOf(mark) {
    return (mark.dataset.annotations || "").split(" ").filter(Boolean);
  }

  // --- the claim type-ahead ----------------------------------------------------------------

  // The claim input is a WAI-ARIA combobox: its suggestions are the options of a listbox;
  // ArrowDown/ArrowUp move the active option (aria-activedescendant: the focus stays in the
  // input, so typing goes on), Enter picks it. ArrowDown with no list asks for one (the
  // claims with the widest reach before anything is typed).
  const optionsOf = (form) => Array.from(form.querySelectorAll(".suggestion"));

  function activeOption(form) {
    const input = form.querySelector(".claim-input");
    const id = input && input.getAttribute("aria-activedescendant");
    return id ? $(id) : null;
  }

  function setActiveOption(form, option) {
    const input = form.querySelector(".claim-input");
    optionsOf(form).forEach((o) => {
      o.classList.toggle("is-active", o === option);
      o.setAttribute("aria-selected", String(o === option));
    });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" }); // inside the list, which scrolls
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  // New suggestions arrived (or the list was emptied): name the options, none active yet.
  function suggestionsChanged(form) {
    const input = form.querySelector(".claim-input");
    const list = form.querySelector(".suggestions");
    if (!input || !list) return;
    optionsOf(form).forEach((option, i) => {
      option.id = `${list.id}-${i}`;
    });
    input.setAttribute("aria-expanded", String(Boolean(list.querySelector("li"))));
    setActiveOption(form, null);
  }

  // ArrowDown/ArrowUp/Enter in a claim input; true when the key was used.
  function comboboxKey(event) {
    const input = event.target;
    const form = input.closest("form");
    if (!form) return false;
    const options = optionsOf(form);
    const active = activeOption(form);
    if (event.key === "Enter") {
      if (!active) return false; // Enter without a chosen option submits the form
      chooseSuggestion(active);
      return true;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return false;
    if (!options.length) {
      if (event.key === "ArrowDown") htmx.trigger(input, "suggest");
      return true;
    }
    const at = options.indexOf(active);
    const step = event.key === "ArrowDown" ? 1 : -1;
    // From the input, Down goes to the first and Up to the last; they wrap around.
    const next = at < 0 ? (step > 0 ? 0 : options.length - 1) : (at + step + options.length) % options.length;
    setActiveOption(form, options[next]);
    return true;
  }

  // An honest status: a half-typed text is not called a new claim while claims match it.
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
    } else if (typed && optionsOf(form).length) {
      status.textContent = "Pick a matching claim below, or keep typing to create a new claim.";
      status.className = "claim-status small";
    } else if (typed) {
      status.textContent = `New claim: “${typed}”`;
      status.className = "claim-status small is-new";
    } else {
      status.textContent = "";
      status.className = "claim-status small";
    }
  }

  // Near the length limit a counter shows; past it the claim is marked invalid (nothing is
  // cut: the server refuses the save and says why, beside the Save button).
  const COUNT_FROM = 0.8; // of the limit
  function updateClaimCount(form) {
    const input = form.querySelector(".claim-input");
    const count = form.querySelector(".claim-count");
    if (!input || !count) return;
    const limit = Number(input.dataset.limit) || 0;
    const length = Array.from(input.value).length; // code points, as the server counts
    const over = limit > 0 && length > limit;
    count.hidden = !limit || length < limit * COUNT_FROM;
    count.textContent = count.hidden
      ? ""
      : over
        ? `${length} of ${limit} characters: ${length - limit} too many. Shorten the claim to save it.`
        : `${length} of ${limit} characters`;
    count.classList.toggle("is-over", over);
    if (over) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  // The server's rule for one claim: case- and whitespace-insensitive.
  const statementKey = (text) => text.trim().split(/\s+/).join(" ").toLowerCase();
  function sameStatement(option, typed) {
    return Boolean(option) && statementKey(option.dataset.statement || "") === statementKey(typed);
  }

  function chooseSuggestion(option) {
    const form = option.closest("form");
    if (!form) return;
    const chosen = form.querySelector(".claim-id");
    const input = form.querySelector(".claim-input");
    chosen.value = option.dataset.claimId;
    chosen.dataset.reach = option.dataset.reach || "";
    chosen.dataset.statement = option.dataset.statement;
    input.value = option.dataset.statement;
    form.querySelector(".suggestions").replaceChildren();
    suggestionsChanged(form);
    updateClaimStatus(form);
    updateClaimCount(form);
    const stance = form.querySelector("input[name=stance]:checked") || form.querySelector("input[name=stance]");
    if (stance) stance.focus();
  }

  // --- wiring (delegated: the body and panel are swapped after every change) ---------------

  document.addEventListener("mousedown", (event) => {
    mouseIsDown = true;
    downAt = { x: event.clientX, y: event.clientY };
    const target = event.target.closest ? event.target : null;
    pointerStartedInBody = Boolean(target && target.closest("#article-body"));
    if (target && target.closest("#annotate-button")) {
      event.preventDefault(); // keep the selection (and the focus) where they are
      return;
    }
    // A press on a highlight's first run (a focusable <mark>) would focus the mark, and
    // Chromium then starts no selection there: a drag from the highlight's first letter
    // selected nothing. Without its tabindex for this press, the body takes the focus as it
    // does for any other word; the mark is focusable again right after.
    const mark = target && target.closest("#article-body mark[tabindex]");
    if (mark && event.button === 0) {
      const tabindex = mark.getAttribute("tabindex");
      mark.removeAttribute("tabindex");
      window.setTimeout(() => mark.setAttribute("tabindex", tabindex), 0);
    }
  });

  document.addEventListener("mouseup", (event) => {
    mouseIsDown = false;
    if (!pointerStartedInBody) return;
    pointerStartedInBody = false;
    const at = performance.now();
    // Let the browser finish updating the selection before it is measured; a key pressed
    // meanwhile (Shift+arrow right after a click) wins, and keeps the focus in the text.
    window.setTimeout(() => {
      if (lastKeyAt < at) onSelectionDone(event, false);
    }, 0);
  });

  const IGNORED_KEYUPS = new Set(["Escape", "Enter", "Tab", "Alt", "Shift", "Control", "Meta"]);
  document.addEventListener("keyup", (event) => {
    if (!event.target.closest || !event.target.closest("#article-body")) return;
    if (IGNORED_KEYUPS.has(event.key)) return;
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
    const inClaim = event.target.classList && event.target.classList.contains("claim-input");
    if (inClaim && !event.altKey && !event.ctrlKey && !event.metaKey && comboboxKey(event)) {
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
        event.preventDefault();
        const prompt = discardPrompt();
        if (prompt && !prompt.hidden) keepEditing(); // Esc closes the question, not the form
        else if (!hasTypedText(form) || !askToDiscard()) discardAnnotation();
        return;
      }
      withdrawAnnotateButton();
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
      showDetails(idsOf(mark), mark);
    }
  });

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (!target.closest) return;
    const action = target.closest("[data-action]");
    if (action && action.dataset.action === "cancel") {
      // Cancel is Esc's twin: it asks before throwing away a typed claim or note.
      event.preventDefault();
      const form = annotateForm();
      if (!form || !hasTypedText(form) || !askToDiscard()) discardAnnotation();
      return;
    }
    if (action && action.dataset.action === "discard") {
      discardAnnotation();
      return;
    }
    if (action && action.dataset.action === "keep-editing") {
      keepEditing();
      return;
    }
    if (action && action.dataset.action === "annotate") {
      if (offered) openAnnotateForm(offered, { focus: true });
      return;
    }
    if (action && action.dataset.action === "close") {
      event.preventDefault();
      hidePopover();
      return;
    }
    const suggestion = target.closest(".suggestion");
    if (suggestion) {
      chooseSuggestion(suggestion);
      return;
    }
    const quote = target.closest(".entry-quote");
    if (quote) {
      const id = quote.dataset.annotation;
      flash(id);
      const first = marksOf(id)[0];
      if (first) showDetails([id], first);
      return;
    }
    // A highlight opens on a plain click: not at the end of a drag, nor with words selected
    // (the second click of a double-click selects a word: the annotate form's turn).
    const mark = target.closest("#article-body mark.hl");
    const selection = window.getSelection();
    const dragged =
      downAt && Math.hypot(event.clientX - downAt.x, event.clientY - downAt.y) > DRAG_PX;
    if (mark && !dragged && event.detail <= 1 && (!selection || selection.isCollapsed)) {
      showDetails(idsOf(mark), mark);
    }
  });

  let settleTimer = 0;
  document.addEventListener("selectionchange", () => {
    if (!annotateForm()) return;
    window.clearTimeout(settleTimer);
    settleTimer = window.setTimeout(onSelectionSettled, SELECTION_SETTLE_MS);
  });

  document.addEventListener("input", (event) => {
    if (!event.target.classList || !event.target.classList.contains("claim-input")) return;
    const form = event.target.closest("form");
    const chosen = form.querySelector(".claim-id");
    if (chosen.value && event.target.value.trim() !== (chosen.dataset.statement || "").trim()) {
      chosen.value = "";
      chosen.dataset.reach = "";
    }
    setActiveOption(form, null); // the list is about to be replaced
    updateClaimStatus(form);
    updateClaimCount(form);
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

  // The server names the highlight it just wrote; show the editor where it landed (without
  // moving the page when it is in sight). When the save came from the form or the popover —
  // or the focus was lost with what the swap replaced — the focus goes to that highlight's
  // first mark, else to the text.
  const inBoxes = (element) => [annotateForm(), popover()].some((box) => box && box.contains(element));
  document.addEventListener("annotationsChanged", (event) => {
    const was = document.activeElement;
    const fromBox = inBoxes(was);
    resetAnnotateForm();
    hidePopover({ refocus: false });
    withdrawAnnotateButton();
    const selection = window.getSelection();
    if (selection) selection.removeAllRanges();
    const id = event.detail && event.detail.id;
    if (id) flash(id, { jump: false });
    if (was && was !== document.body && was.isConnected && !fromBox) return;
    const mark = id && marksOf(id)[0];
    const back = lastFocus && lastFocus.isConnected && lastFocus !== document.body && !inBoxes(lastFocus);
    if (mark) {
      if (!mark.hasAttribute("tabindex")) mark.setAttribute("tabindex", "-1");
      mark.focus({ preventScroll: true });
    } else if (back) {
      lastFocus.focus({ preventScroll: true }); // a deleted highlight: where its popover was opened from
    } else if (articleBody()) {
      articleBody().focus({ preventScroll: true });
    }
  });

  // After htmx swapped something in: fresh suggestions (name the options; they may show that
  // the typed text is an existing claim); errors (pinned beside Save; the window scrolls to
  // them if the box is out of sight); an edit form in the popover (say which claim it points
  // at, and place the bigger popover again).
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (!target || !target.querySelectorAll) return;
    const form = target.closest("form");
    if (target.classList.contains("suggestions") && form) {
      suggestionsChanged(form);
      updateClaimStatus(form);
      return;
    }
    if (target.classList.contains("form-errors")) {
      if (target.firstElementChild) target.scrollIntoView({ block: "nearest" });
      return;
    }
    target.querySelectorAll("form").forEach((swapped) => {
      const chosen = swapped.querySelector(".claim-id");
      const input = swapped.querySelector(".claim-input");
      if (chosen && input && chosen.value) chosen.dataset.statement = input.value;
      updateClaimStatus(swapped);
      updateClaimCount(swapped);
    });
    if (target === popover() && !target.hidden && target.placeAnchor) place(target, target.placeAnchor);
  });

  function flashFromHash() {
    const match = /^#annotation-(\d+)$/.exec(window.location.hash);
    if (match) flash(match[1]);
  }
  window.addEventListener("hashchange", flashFromHash);
  narrow.addEventListener("change", placeAgain);
  window.addEventListener("resize", placeAgain);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", flashFromHash);
  } else {
    flashFromHash();
  }
})();
