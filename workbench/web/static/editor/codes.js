// Inline codes (tags of another tool's file, written <g1>…</g1>, <x2/> as OmegaT does):
// shown as chips in the source; Alt+I puts the source's next code that the target
// lacks at the cursor (QA's "Inline codes" check reports missing, extra, misordered).
import {$, box, rows, state, tools} from "./core.js";
import {altKeys} from "./keyboard.js";

const TAG = /<\/?[a-zA-Z]{1,3}\d+\/?>/g;

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
      const chip = document.createElement("span");
      chip.className = "code-chip";
      chip.contentEditable = "false";
      chip.title = "inline code (Alt+I inserts the next missing one)";
      chip.textContent = match[0];
      parts.push(chip);
      last = match.index + match[0].length;
    }
    parts.push(text.slice(last));
    node.replaceWith(...parts);
  }
}

for (const row of rows()) chips($(".source-text", row));

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
  area.setRangeText(tag, at, area.selectionEnd ?? at, "end");
  area.dispatchEvent(new Event("input", {bubbles: true}));
  area.focus();
};
altKeys.KeyI = "insert-code"; // Alt+T is the glossary's
