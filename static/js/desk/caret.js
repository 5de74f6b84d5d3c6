// A caret in the article's text. Chromium moves a caret through non-editable text only with
// caret browsing (F7) turned on, so the body gets its own: arrows move the caret,
// Shift+arrows extend the selection (Ctrl/Alt for words, Home/End for the line).
import { articleBody, ids } from "./names.js";

const CARET_KEYS = {
  ArrowLeft: ["backward", "character"],
  ArrowRight: ["forward", "character"],
  ArrowUp: ["backward", "line"],
  ArrowDown: ["forward", "line"],
  Home: ["backward", "lineboundary"],
  End: ["forward", "lineboundary"],
};

// True when the key moved the caret (the caller prevents the default).
export function moveCaret(event) {
  const step = CARET_KEYS[event.key];
  const root = articleBody();
  const selection = window.getSelection();
  if (!step || !root || !selection || typeof selection.modify !== "function") return false;
  if (!event.target.closest || event.target.closest(`#${ids.body}`) !== root) return false;
  if (selection.rangeCount === 0 || !root.contains(selection.anchorNode)) {
    selection.collapse(root, 0);
  }
  const granularity = step[1] === "character" && (event.ctrlKey || event.altKey) ? "word" : step[1];
  selection.modify(event.shiftKey ? "extend" : "move", step[0], granularity);
  const node = selection.focusNode;
  const element = node && (node.nodeType === Node.TEXT_NODE ? node.parentElement : node);
  if (element && element !== root) element.scrollIntoView({ block: "nearest" });
  return true;
}
