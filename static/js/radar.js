// The claim radar on the desk (docs/architecture.md, "Claim radar"): outlines the suggested
// passages in the article text with dashes, moves between them with n / p, accepts the
// current one (with the stance chosen in its form) with a, rejects it with r; shows a scan's
// progress where someone waits for it. It never changes #article-body: the outlines are
// boxes drawn over the passages' rectangles in a layer beside it (no pointer events), so the
// text and annotate.js's offsets stay exactly as they are. Offsets are code points into the
// body (the offsets contract); the DOM counts UTF-16 code units: converted here.
import { gettext, interpolate } from "./desk/i18n.js";

const panel = document.getElementById("radar");

function textNodes(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
  return nodes;
}

// Code-point offsets → a DOM Range over the body's text nodes.
function rangeFor(root, start, end) {
  const range = document.createRange();
  let points = 0;
  let startSet = false;
  for (const node of textNodes(root)) {
    const text = node.data;
    for (let unit = 0; unit <= text.length; ) {
      if (!startSet && points === start) {
        range.setStart(node, unit);
        startSet = true;
      }
      if (startSet && points === end) {
        range.setEnd(node, unit);
        return range;
      }
      if (unit === text.length) break;
      const code = text.codePointAt(unit);
      unit += code > 0xffff ? 2 : 1;
      points += 1;
    }
  }
  return startSet ? range : null;
}

// A layer over the article text holding one dashed box per line of each passage.
function outlines(body, ranges) {
  const host = body.parentElement;
  host.classList.add("radar-host");
  const layer = document.createElement("div");
  layer.className = "radar-layer";
  layer.setAttribute("aria-hidden", "true");
  host.append(layer);
  const boxes = new Map();

  function draw() {
    layer.replaceChildren();
    const origin = host.getBoundingClientRect();
    for (const [item, range] of ranges) {
      const own = [];
      for (const rect of range.getClientRects()) {
        if (rect.width < 1 || rect.height < 1) continue;
        const box = document.createElement("span");
        box.className = "radar-outline";
        box.style.left = `${rect.left - origin.left - host.clientLeft}px`;
        box.style.top = `${rect.top - origin.top - host.clientTop}px`;
        box.style.width = `${rect.width}px`;
        box.style.height = `${rect.height}px`;
        layer.append(box);
        own.push(box);
      }
      boxes.set(item, own);
    }
  }
  draw();
  new ResizeObserver(draw).observe(body);
  return {
    current(item) {
      for (const [other, own] of boxes) {
        for (const box of own) box.classList.toggle("is-current", other === item);
      }
    },
  };
}

function setupArticle(body, items) {
  const ranges = new Map();
  for (const item of items) {
    const range = rangeFor(body, Number(item.dataset.start), Number(item.dataset.end));
    if (range) ranges.set(item, range);
  }
  const painted = outlines(body, ranges);
  let current = -1;

  function select(index) {
    if (!items.length) return;
    current = (index + items.length) % items.length;
    const item = items[current];
    for (const other of items) other.classList.toggle("is-current", other === item);
    painted.current(item);
    const range = ranges.get(item);
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
    if (range) {
      const rect = range.getBoundingClientRect();
      if (rect.top < 0 || rect.bottom > window.innerHeight) {
        window.scrollBy({ top: rect.top - window.innerHeight / 3 });
      }
    }
  }

  items.forEach((item, index) => {
    item.addEventListener("focusin", () => {
      if (current !== index) select(index);
    });
  });

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") && !target.matches("select");
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) return;
    const form = document.getElementById("annotate-form");
    if (form && !form.hidden) return;
    // The key as typed, with Shift or Caps Lock: n/N, p/P … (event.code would miss
    // keyboard layouts other than QWERTY).
    const key = { N: "n", J: "j", P: "p", K: "k", A: "a", R: "r" }[event.key] || event.key;
    if (key === "n" || key === "j") select(current + 1);
    else if (key === "p" || key === "k") select(current - 1);
    else if ((key === "a" || key === "r") && current >= 0) {
      const which = key === "a" ? ".radar-accept" : ".radar-reject";
      const chosen = items[current].querySelector(which);
      if (!chosen) return;
      chosen.requestSubmit();
    } else return;
    event.preventDefault();
  });

  const wanted = location.hash.match(/^#suggestion-(\d+)$/);
  if (wanted) {
    const index = items.findIndex((item) => item.dataset.suggestion === wanted[1]);
    if (index >= 0) select(index);
  }
}

// A scan under way: its progress, polled until it ends, then the page shows its result.
function watchScan(section) {
  const url = section.dataset.scanUrl;
  const bar = section.querySelector(".radar-progress progress");
  const label = section.querySelector("[data-scan-label]");
  async function poll() {
    const answer = await fetch(url, { headers: { Accept: "application/json" } });
    if (!answer.ok) return;
    const scan = await answer.json();
    if (bar) {
      bar.max = Math.max(1, scan.total);
      bar.value = scan.done;
    }
    if (label) {
      label.textContent = interpolate(gettext("%(label)s, %(done)s of %(total)s"), {
        label: scan.label,
        done: scan.done,
        total: scan.total || "?",
      });
    }
    if (scan.active) setTimeout(poll, 1500);
    else location.reload();
  }
  setTimeout(poll, 1000);
}

if (panel && !panel.dataset.radarReady) {
  panel.dataset.radarReady = "1";
  const body = panel.dataset.radarBody ? document.querySelector(panel.dataset.radarBody) : null;
  const items = [...panel.querySelectorAll(".radar-item")];
  if (body) setupArticle(body, items);
  if (panel.dataset.scanUrl) watchScan(panel);
}
