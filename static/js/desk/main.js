// The desk's article page in the browser (docs/architecture.md, "The desk in the browser"):
// select words in the article's text, attach them to a claim in the annotate form beside them,
// and make highlights and the side panel point at each other. This module only wires the
// events (delegated: the body and the panel are swapped after every change) to the modules
// that each do one job:
//   measure.js        the selection, in the server's code-point offsets
//   place.js          where the floating form and popover go
//   annotate_form.js  opening, discarding and resetting the annotate form
//   combobox.js       the claim type-ahead
//   highlights.js     marks, flashes and the highlight popover
//   saving.js         after the server answered a save
//   caret.js          a caret in the non-editable text
//   names.js          ids and event names shared with the server (claims/desk_names.py)
//
// Three ways to finish a selection: mouseup (desktop), keyup (Shift+arrows) open the form at
// once; touch selection fires neither, so a settled `selectionchange` offers a floating
// "Annotate" button beside the words instead.
import {
  closeOrAsk,
  discardAnnotation,
  discardPrompt,
  keepEditing,
  onSelectionDone,
  onSelectionSettled,
  openOffered,
  withdrawAnnotateButton,
} from "./annotate_form.js";
import { moveCaret } from "./caret.js";
import { chooseSuggestion, claimTyped, comboboxKey } from "./combobox.js";
import { flash, flashFromHash, hidePopover, idsOf, marksOf, setActive, showDetails } from "./highlights.js";
import { annotateForm, events, ids, inBody, popover } from "./names.js";
import { narrow, placeAgain } from "./place.js";
import { onAfterSwap, onAnnotationsChanged } from "./saving.js";

const SELECTION_SETTLE_MS = 250; // touch handles fire selectionchange on every step
const DRAG_PX = 4; // a press that moved farther than this is a drag, not a click

let pointerStartedInBody = false;
let mouseIsDown = false;
let downAt = null; // where the last mouse press was, to tell a click from a drag
let lastKeyAt = 0;

document.addEventListener("mousedown", (event) => {
  mouseIsDown = true;
  downAt = { x: event.clientX, y: event.clientY };
  const target = event.target.closest ? event.target : null;
  pointerStartedInBody = inBody(target);
  if (target && target.closest(`#${ids.button}`)) {
    event.preventDefault(); // keep the selection (and the focus) where they are
    return;
  }
  // A press on a highlight's first run (a focusable <mark>) would focus the mark, and
  // Chromium then starts no selection there: a drag from the highlight's first letter
  // selected nothing. Without its tabindex for this press, the body takes the focus as it
  // does for any other word; the mark is focusable again right after.
  const mark = target && target.closest(`#${ids.body} mark[tabindex]`);
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
  if (!inBody(event.target)) return;
  if (IGNORED_KEYUPS.has(event.key)) return;
  const selection = window.getSelection();
  if (selection && !selection.isCollapsed) onSelectionDone(event, true);
});

function onEscape(event) {
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
    else closeOrAsk();
    return;
  }
  withdrawAnnotateButton();
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
    onEscape(event);
    return;
  }
  if (event.key !== "Enter" || !inBody(event.target)) return;
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

// The buttons that name what they do (data-action): the annotate form's, the popover's.
const ACTIONS = {
  cancel: (event) => {
    // Cancel is Esc's twin: it asks before throwing away a typed claim or note.
    event.preventDefault();
    closeOrAsk();
  },
  discard: () => discardAnnotation(),
  "keep-editing": () => keepEditing(),
  annotate: () => openOffered(),
  close: (event) => {
    event.preventDefault();
    hidePopover();
  },
};

document.addEventListener("click", (event) => {
  const target = event.target;
  if (!target.closest) return;
  const action = target.closest("[data-action]");
  if (action && Object.hasOwn(ACTIONS, action.dataset.action)) {
    ACTIONS[action.dataset.action](event);
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
  const mark = target.closest(`#${ids.body} mark.hl`);
  const selection = window.getSelection();
  const dragged = downAt && Math.hypot(event.clientX - downAt.x, event.clientY - downAt.y) > DRAG_PX;
  if (mark && !dragged && event.detail <= 1 && (!selection || selection.isCollapsed)) {
    showDetails(idsOf(mark), mark);
  }
});

let settleTimer = 0;
document.addEventListener("selectionchange", () => {
  if (!annotateForm()) return;
  window.clearTimeout(settleTimer);
  settleTimer = window.setTimeout(() => onSelectionSettled(mouseIsDown), SELECTION_SETTLE_MS);
});

document.addEventListener("input", (event) => {
  if (!event.target.classList || !event.target.classList.contains("claim-input")) return;
  claimTyped(event.target);
});

// A panel entry and its highlight's marks light up together.
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

document.addEventListener(events.changed, onAnnotationsChanged);
document.addEventListener("htmx:afterSwap", onAfterSwap);
window.addEventListener("hashchange", flashFromHash);
narrow.addEventListener("change", placeAgain);
window.addEventListener("resize", placeAgain);
// A module runs after the document is parsed.
flashFromHash();
