// Placing the floating boxes: the annotate form and the highlight popover.
//
// They must fit in the window, below the site header while it is in sight, and leave the
// quoted words visible when there is room: below the words, else above them, else beside
// them; else on the larger side of them, scrolling inside; only when even that is too
// cramped, over them. The box scrolls inside (at most the room found: its max-height) and
// keeps its footer — the errors, Save/Cancel — pinned (site.css). On a narrow screen the box
// is a bottom sheet and the page scrolls the words above it.
import { annotateForm, popover } from "./names.js";

export const narrow = window.matchMedia("(max-width: 900px)");

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
export function place(box, anchor, { scroll = true } = {}) {
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
export function placeAgain() {
  [annotateForm(), popover()].forEach((box) => {
    if (box && !box.hidden && box.placeAnchor) place(box, box.placeAnchor, { scroll: false });
  });
}

// The popover's content changed (an edit form is bigger than the cards): place it again.
export function placeAgainIfShown(box) {
  if (box && !box.hidden && box.placeAnchor) place(box, box.placeAnchor);
}
