// After the server answered a save (or a refusal): the annotate form and the popover close,
// the editor is shown where the highlight landed, and the focus goes somewhere useful;
// swapped-in suggestions, errors and edit forms are made ready.
import { resetAnnotateForm, withdrawAnnotateButton } from "./annotate_form.js";
import { fieldsShown, suggestionsChanged, updateClaimStatus } from "./combobox.js";
import { flash, focusBeforePopover, hidePopover, marksOf } from "./highlights.js";
import { annotateForm, articleBody, popover } from "./names.js";
import { placeAgainIfShown } from "./place.js";

const inBoxes = (element) => [annotateForm(), popover()].some((box) => box && box.contains(element));

// The server names the highlight it just wrote; show the editor where it landed (without
// moving the page when it is in sight). When the save came from the form or the popover —
// or the focus was lost with what the swap replaced — the focus goes to that highlight's
// first mark, else to the text.
export function onAnnotationsChanged(event) {
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
  const lastFocus = focusBeforePopover();
  const back = lastFocus && lastFocus.isConnected && lastFocus !== document.body && !inBoxes(lastFocus);
  if (mark) {
    if (!mark.hasAttribute("tabindex")) mark.setAttribute("tabindex", "-1");
    mark.focus({ preventScroll: true });
  } else if (back) {
    lastFocus.focus({ preventScroll: true }); // a deleted highlight: where its popover was opened from
  } else if (articleBody()) {
    articleBody().focus({ preventScroll: true });
  }
}

// After htmx swapped something in: fresh suggestions (name the options; they may show that
// the typed text is an existing claim); errors (pinned beside Save; the window scrolls to
// them if the box is out of sight); an edit form in the popover (say which claim it points
// at, and place the bigger popover again).
export function onAfterSwap(event) {
  const target = event.detail.target;
  if (!target || !target.querySelectorAll) return;
  const form = target.closest("form");
  if (target.classList.contains("suggestions") && form) {
    const input = form.querySelector(".claim-input");
    // Closed with Esc for this very text: a late answer stays closed (combobox.js).
    if (input && target.dataset.closedFor === input.value) target.replaceChildren();
    suggestionsChanged(form);
    updateClaimStatus(form);
    return;
  }
  if (target.classList.contains("form-errors")) {
    if (target.firstElementChild) target.scrollIntoView({ block: "nearest" });
    return;
  }
  target.querySelectorAll("form").forEach(fieldsShown);
  if (target === popover()) placeAgainIfShown(target);
}
