// Inline codes (tags of another tool's file, written <g1>…</g1>, <x2/> as OmegaT does):
// chips in the source, and in the target box too, where each code is one unit: a layer
// behind the box draws it as a chip; the caret and selections never stop inside it;
// Backspace/Delete take the whole code; typing inside one is refused; Alt+Shift+←/→
// moves the code at the cursor one word; Alt+I puts the source's next code that the
// target lacks at the cursor (QA's "Inline codes" check reports missing, extra, misordered).
// The box stays a <textarea>, so autosave, undo and every other part see plain text.
import {$, box, editor, rows, state, tools} from "./core.js";
import {altKeys} from "./keyboard.js";

const TAG = /<\/?[a-zA-Z]{1,3}\d+\/?>/g;

function chip(text) {
  const node = document.createElement("span");
  node.className = "code-chip";
  node.textContent = text;
  return node;
}

/** Replace tag text in a source cell by non-editable chips (its textContent is unchanged).
 *  Works on the cell's text nodes, so other marks in it (glossary terms) stay. */
export function chips(cell) {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest(".code-chip")) nodes.push(walker.currentNode);
  }
  for (const node of nodes) {
    const text = node.data;
    if (!text.match(TAG)) continue; // match, not test: a global regex's test moves lastIndex
    const parts = [];
    let last = 0;
    for (const match of text.matchAll(TAG)) {
      parts.push(text.slice(last, match.index));
      const span = chip(match[0]);
      span.contentEditable = "false";
      span.title = "inline code (Alt+I inserts the next missing one)";
      parts.push(span);
      last = match.index + match[0].length;
    }
    parts.push(text.slice(last));
    node.replaceWith(...parts);
  }
}

for (const row of rows()) chips($(".source-text", row));

/** The codes of a text as [start, end) ranges. */
export function codeSpans(text) {
  return [...text.matchAll(TAG)].map((m) => [m.index, m.index + m[0].length]);
}

// ---- the target box: a chip layer behind it ----
const layerOf = (area) => area.previousElementSibling?.classList.contains("target-chips")
  ? area.previousElementSibling : null;

/** Draw the box's codes as chips in the layer behind it (text elsewhere is transparent). */
export function paint(area) {
  const layer = layerOf(area);
  if (!layer) return;
  const text = area.value;
  if (!text.match(TAG)) {
    if (layer.firstChild) layer.replaceChildren();
    return;
  }
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(TAG)) {
    parts.push(text.slice(last, match.index), chip(match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last) + "\u200b"); // a final line break still takes its line
  layer.replaceChildren(...parts);
  layer.scrollTop = area.scrollTop;
}

// Every way the box's text changes repaints it: typing (input) and any script that sets
// .value (a save, a conflict, undo, the MT mode) through this instance's own setter.
const VALUE = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value");
function watch(area) {
  Object.defineProperty(area, "value", {
    configurable: true,
    get() { return VALUE.get.call(this); },
    set(text) { VALUE.set.call(this, text); paint(this); },
  });
  area.addEventListener("scroll", () => {
    const layer = layerOf(area);
    if (layer) layer.scrollTop = area.scrollTop;
  });
  paint(area);
}
for (const row of rows()) watch(box(row));

// ---- codes are atomic in the box ----
/** The code that strictly contains position ``at`` (a caret inside it), or undefined. */
const inside = (text, at) => codeSpans(text).find(([a, b]) => a < at && at < b);

/** Widen a selection so that it never cuts a code: [start, end] covering whole codes. */
export function widen(text, start, end) {
  for (const [a, b] of codeSpans(text)) {
    if (a < start && start < b) start = a;
    if (a < end && end < b) end = b;
  }
  return [start, end];
}

function select(area, start, end, direction) {
  area.setSelectionRange(start, end, direction || area.selectionDirection);
}

/** After a click, a drag or Up/Down: no caret or selection end inside a code. */
function snap(area) {
  const text = area.value;
  const {selectionStart: s, selectionEnd: e} = area;
  if (s === e) {
    const code = inside(text, s);
    if (!code) return;
    const to = s - code[0] <= code[1] - s ? code[0] : code[1]; // the nearer edge
    select(area, to, to);
    return;
  }
  const [a, b] = widen(text, s, e);
  if (a !== s || b !== e) select(area, a, b);
}

function keydown(event) {
  const area = event.target;
  if (area.tagName !== "TEXTAREA" || !area.closest("tr.seg") || area.readOnly) return;
  if (event.isComposing) return; // an IME's own keys (Backspace in a pinyin composition)
  const text = area.value;
  if (!text.match(TAG)) return;
  const {selectionStart: s, selectionEnd: e} = area;
  const spans = codeSpans(text);
  const arrow = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
  if (arrow && event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey) {
    event.preventDefault();
    moveCode(area, arrow);
    return;
  }
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (arrow) {
    // The caret steps over a whole code; Shift+arrow takes the whole code into the selection.
    const backward = area.selectionDirection === "backward";
    if (!event.shiftKey && s !== e) return; // collapsing a selection lands on its ends
    const focus = backward ? s : e;
    const anchor = backward ? e : s;
    const code = spans.find(([a, b]) => (arrow > 0 ? a === focus : b === focus));
    if (!code) return;
    event.preventDefault();
    const to = arrow > 0 ? code[1] : code[0];
    if (!event.shiftKey) select(area, to, to);
    else if (to < anchor) select(area, to, anchor, "backward");
    else select(area, anchor, to, "forward");
    return;
  }
  if (s === e && (event.key === "Backspace" || event.key === "Delete")) {
    // Next to a code, Backspace/Delete select the whole code and the default action then
    // removes it (one step on the box's own undo stack, an input event for autosave).
    const code = spans.find(([a, b]) => (event.key === "Backspace" ? b === s : a === s));
    if (code) select(area, code[0], code[1]);
    return;
  }
  if (s !== e) {
    const [a, b] = widen(text, s, e);
    if (a !== s || b !== e) select(area, a, b);
  }
}

/** Typing (or pasting, or an IME) inside a code is refused. */
function beforeinput(event) {
  const area = event.target;
  if (area.tagName !== "TEXTAREA" || !area.closest("tr.seg")) return;
  const text = area.value;
  const {selectionStart: s, selectionEnd: e} = area;
  if (inside(text, s) || inside(text, e)) event.preventDefault();
}

editor.addEventListener("keydown", keydown);
editor.addEventListener("beforeinput", beforeinput);
editor.addEventListener("input", (event) => {
  if (event.target.tagName === "TEXTAREA" && event.target.closest("tr.seg")) paint(event.target);
});
for (const type of ["mouseup", "keyup", "focusin"]) {
  editor.addEventListener(type, (event) => {
    const area = event.target;
    if (area.tagName === "TEXTAREA" && area.closest("tr.seg") && area.value.match(TAG)) snap(area);
  });
}

// ---- moving a code by keyboard ----
const segmenters = new Map();
function wordSpans(text, lang) {
  if (!segmenters.has(lang)) segmenters.set(lang, new Intl.Segmenter(lang || undefined, {granularity: "word"}));
  // Codes are masked, so a code's letters ("g1") are never taken for a word.
  const masked = text.replace(TAG, (m) => "\ufffc".repeat(m.length));
  return [...segmenters.get(lang).segment(masked)]
    .filter((s) => /[^\s\ufffc]/.test(s.segment)) // words and punctuation, not spaces or codes
    .map((s) => [s.index, s.index + s.segment.length]);
}

/** Where a code lifted from ``text`` at ``at`` goes one word to the right (+1) or left (-1). */
export function wordStep(text, at, direction, lang) {
  const words = wordSpans(text, lang);
  let to;
  if (direction > 0) {
    const next = words.find(([, b]) => b > at);
    to = next ? next[1] : text.length;
  } else {
    const previous = words.filter(([a]) => a < at).at(-1);
    to = previous ? previous[0] : 0;
  }
  const code = inside(text, to); // never into another code
  return code ? code[direction > 0 ? 1 : 0] : to;
}

/** Move the code at the cursor (the one just after it, else just before) one word. */
function moveCode(area, direction) {
  const text = area.value;
  const at = area.selectionStart;
  const spans = codeSpans(text);
  const after = spans.find(([a]) => a === at);
  const code = after || spans.find(([, b]) => b === at);
  if (!code) return;
  const tag = text.slice(code[0], code[1]);
  const rest = text.slice(0, code[0]) + text.slice(code[1]);
  const to = wordStep(rest, code[0], direction, area.lang);
  if (to === code[0]) return;
  const moved = rest.slice(0, to) + tag + rest.slice(to);
  // One step on the box's own undo stack, an input event for autosave and the chips.
  area.focus();
  select(area, 0, text.length);
  if (!document.execCommand("insertText", false, moved)) {
    area.value = moved;
    area.dispatchEvent(new Event("input", {bubbles: true}));
  }
  const caret = after ? to : to + tag.length; // the cursor keeps its side of the code
  select(area, caret, caret);
}

// ---- inserting the next missing code ----
/** The first code of the source (in order) not yet in the target, or null. */
export function nextMissing(source, target) {
  const have = target.match(TAG) || [];
  for (const tag of source.match(TAG) || []) {
    const index = have.indexOf(tag);
    if (index === -1) return tag;
    have.splice(index, 1);
  }
  return null;
}

tools["insert-code"] = () => {
  const row = state.current;
  if (!row) return;
  const area = box(row);
  const tag = nextMissing($(".source-text", row).textContent, area.value);
  if (!tag || area.readOnly) return;
  const at = area.selectionStart ?? area.value.length;
  const end = area.selectionEnd ?? at;
  area.focus();
  area.setSelectionRange(at, end);
  // execCommand: one step on the box's own undo stack (Ctrl+Z), and its input event.
  if (!document.execCommand("insertText", false, tag)) {
    area.setRangeText(tag, at, end, "end");
    area.dispatchEvent(new Event("input", {bubbles: true}));
  }
};
altKeys.KeyI = "insert-code"; // Alt+T is the glossary's
