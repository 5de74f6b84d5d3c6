// Measuring a selection in the article's text: which words, at which offsets.
//
// Offsets contract (docs/architecture.md, "The offsets contract"): the server counts Unicode
// code points; the DOM counts UTF-16 code units. We measure in UTF-16 against the body's
// text, then convert by counting code points of the prefix, so an emoji before the
// selection counts once, not twice.

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
export function snapToWords(text, start, end) {
  const cutsWord = (i) => inWord(text, i) && inWord(text, i - charBefore(text, i).length);
  while (start > 0 && cutsWord(start)) start -= charBefore(text, start).length;
  while (end < text.length && cutsWord(end)) end += charAt(text, end).length;
  return [start, end];
}

// The selection in the body, in code points; whole words unless `exact` (Alt held).
export function measureSelection(root, { exact = false } = {}) {
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
