"""The article body's code-point offsets (the offsets contract) turned into the DOM positions
and rectangles browser tests select, drag and measure with: one conversion, in the page.

``script(params, body)`` is a function for ``page.evaluate`` whose body can call:
``range(start, end)`` (a DOM Range over ``body[start:end]``) and ``charRect(n)`` (the
rectangle of the character at code point ``n``)."""

_IN_THE_BODY = """
  const root = document.getElementById('article-body');
  const chars = Array.from(root.textContent);
  const utf16 = (n) => chars.slice(0, n).join('').length;
  // The text node holding UTF-16 offset ``o``: a boundary at a node's end stays in that node,
  // a character starting there belongs to the next one.
  function point(o, boundary) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      if (o < node.data.length || (boundary && o === node.data.length)) return [node, o];
      o -= node.data.length;
    }
    throw new Error('offset outside the body');
  }
  function range(start, end) {
    const r = document.createRange();
    r.setStart(...point(utf16(start), true));
    r.setEnd(...point(utf16(end), true));
    return r;
  }
  function charRect(n) {
    const [node, o] = point(utf16(n), false);
    const r = document.createRange();
    r.setStart(node, o);
    r.setEnd(node, o + chars[n].length);
    return r.getClientRects()[0];
  }
"""


def script(params: str, body: str) -> str:
    return f"({params}) => {{{_IN_THE_BODY}{body}}}"


# Viewport points inside the first and last characters of body[start:end], for a mouse drag.
_DRAG_POINTS = """
  const a = charRect(start), b = charRect(end - 1);
  return {x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2};
"""

# body[start:end] scrolled to a third of the window's height; its drag points.
CHAR_RECTS = script(
    "[start, end]",
    "window.scrollBy(0, charRect(start).top - window.innerHeight / 3);" + _DRAG_POINTS,
)

# body[start:end] scrolled to ``at`` of the window's height (0 leaves the page where it is);
# its drag points.
DRAG_POINTS = script(
    "[start, end, at]",
    "if (at > 0) window.scrollBy(0, charRect(start).top - window.innerHeight * at);" + _DRAG_POINTS,
)

# Select body[start:end] as a script, or a long press, does: no mouse events.
SELECT = script(
    "[start, end]",
    """
  const r = range(start, end);
  r.startContainer.parentElement.scrollIntoView({block: 'center'});
  getSelection().setBaseAndExtent(r.startContainer, r.startOffset, r.endContainer, r.endOffset);
""",
)

# The viewport rectangle of body[start:end].
QUOTE_RECT = script(
    "[start, end]",
    """
  const r = range(start, end).getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
""",
)
