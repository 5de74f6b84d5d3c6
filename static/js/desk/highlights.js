// Highlights and the panel pointing at each other: a highlight's marks in the text, flashing
// them, and the popover with the highlights' cards.
import { anchorPrefix, annotateForm, articleBody, byId, ids, popover } from "./names.js";
import { place } from "./place.js";

let lastFocus = null; // where the popover was opened from
let detailsTicket = 0; // bumped by the annotate form: a popover asked for earlier loses

export const focusBeforePopover = () => lastFocus;

// The annotate form opens: a popover still loading (the first click of a double-click)
// stays shut.
export function dropPendingDetails() {
  detailsTicket++;
}

export function marksOf(id) {
  const root = articleBody();
  return root ? root.querySelectorAll(`mark[data-annotations~="${CSS.escape(String(id))}"]`) : [];
}

export function setActive(id, on) {
  marksOf(id).forEach((mark) => mark.classList.toggle("is-active", on));
}

// Whether the element is wholly inside the window.
function inView(element) {
  const r = element.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= document.documentElement.clientHeight;
}

export function flash(id, { jump = true } = {}) {
  const marks = marksOf(id);
  if (!marks.length) return false;
  const anchor = byId(`${anchorPrefix}${id}`);
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
export function showDetails(annotationIds, mark) {
  const layout = byId(ids.layout);
  const box = popover();
  if (!layout || !box || !annotationIds.length) return;
  // Opened by a click, the focus is on the text (or nowhere): closing gives it back to the
  // highlight clicked, not to the start of the text.
  const active = document.activeElement;
  lastFocus = active && active !== document.body && !active.contains(mark) ? active : mark;
  const ticket = ++detailsTicket;
  const url = `${layout.dataset.cardsUrl}?ids=${encodeURIComponent(annotationIds.join(","))}`;
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

// Closing gives the focus back to where the popover was opened from, unless `refocus` is
// false (after a save the focus goes to the highlight instead).
export function hidePopover({ refocus = true } = {}) {
  const box = popover();
  if (!box || box.hidden) return;
  box.hidden = true;
  box.replaceChildren();
  if (refocus && lastFocus && lastFocus.isConnected) lastFocus.focus({ preventScroll: true });
}

export function idsOf(mark) {
  return (mark.dataset.annotations || "").split(" ").filter(Boolean);
}

export function flashFromHash() {
  const prefix = `#${anchorPrefix}`;
  const hash = window.location.hash;
  if (hash.startsWith(prefix) && /^\d+$/.test(hash.slice(prefix.length))) flash(hash.slice(prefix.length));
}
