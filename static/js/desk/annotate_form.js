// The annotate form: opened for a measured selection (at once after a mouse or keyboard
// selection, or from the floating "Annotate" button a touch selection is offered), asked to
// discard typed text before it closes, and reset after a save.
import { gettext } from "./i18n.js";
import { suggestionsChanged, updateClaimCount, updateClaimStatus } from "./combobox.js";
import { dropPendingDetails, hidePopover } from "./highlights.js";
import { measureSelection } from "./measure.js";
import { annotateForm, articleBody, byId, ids } from "./names.js";
import { place } from "./place.js";

let openedFor = ""; // the selection (its key) the annotate form was opened for
let offered = null; // the measured selection the Annotate button stands for

// The floating "Annotate" button for a selection no mouseup or keyup finished (touch).
function annotateButton() {
  let button = byId(ids.button);
  const form = annotateForm();
  if (!button && form) {
    button = document.createElement("button");
    button.type = "button";
    button.id = ids.button;
    button.className = "button primary annotate-button";
    button.dataset.action = "annotate";
    button.textContent = gettext("Annotate");
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

export function withdrawAnnotateButton() {
  const button = byId(ids.button);
  if (button) button.hidden = true;
  offered = null;
}

// A selection settled without a mouseup or keyup to finish it (touch): offer the button.
export function onSelectionSettled(mouseIsDown) {
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

export function resetAnnotateForm() {
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
export const discardPrompt = () => byId(ids.discard);
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

export function discardAnnotation() {
  resetAnnotateForm();
  const root = articleBody();
  if (root) root.focus({ preventScroll: true });
}

// Esc or Cancel: close an empty form, or ask before throwing a typed claim or note away.
export function closeOrAsk() {
  const form = annotateForm();
  if (!form || !hasTypedText(form) || !askToDiscard()) discardAnnotation();
}

export function keepEditing() {
  hideDiscardPrompt();
  const form = annotateForm();
  if (form) form.querySelector(".claim-input").focus();
}

export function openAnnotateForm(measured, { focus }) {
  const form = annotateForm();
  if (!form) return;
  dropPendingDetails();
  withdrawAnnotateButton();
  hidePopover();
  hideDiscardPrompt();
  openedFor = measured.key;
  form.querySelector("[name=start]").value = measured.start;
  form.querySelector("[name=end]").value = measured.end;
  form.querySelector("[name=exact]").value = measured.exact;
  const quote = measured.exact.length > 240 ? `${measured.exact.slice(0, 240)}…` : measured.exact;
  byId(ids.quote).textContent = quote;
  byId(ids.errors).replaceChildren();
  form.hidden = false;
  place(form, () => measured.range.getBoundingClientRect());
  if (focus) form.querySelector(".claim-input").focus({ preventScroll: true });
}

// The Annotate button was tapped: open the form for the selection it stood for.
export function openOffered() {
  if (offered) openAnnotateForm(offered, { focus: true });
}

// Alt held while selecting keeps exactly the selected characters (no snapping to words).
export function onSelectionDone(event, viaKeyboard) {
  const form = annotateForm();
  if (!form) return; // reviewers read only
  const measured = measureSelection(articleBody(), { exact: event.altKey });
  if (measured) openAnnotateForm(measured, { focus: !viaKeyboard });
}
