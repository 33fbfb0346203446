// The glossary in the editor: terms highlighted in the source, their translations in the
// side panel, Alt+T then a digit inserts translation N at the cursor, Alt+G adds the
// selected source text and the selected target text to the project's glossary.
import {$, api, box, docId, el, events, flash, idOf, rows, state, tools} from "./core.js";
import {altKeys} from "./keyboard.js";
import {chips} from "./codes.js";

let hits = {}; // segment id -> terms found in its source
let armed = false; // Alt+T pressed, waiting for the digit
let sourceSelection = {row: null, text: ""};

function highlight(row) {
  const cell = $(".source-text", row);
  const found = hits[idOf(row)] || [];
  const text = cell.textContent;
  const parts = [];
  let at = 0;
  found.forEach((hit, i) => {
    if (hit.start < at) return;
    parts.push(document.createTextNode(text.slice(at, hit.start)));
    const mark = el("mark", text.slice(hit.start, hit.end), "term");
    mark.title = `${i + 1}: ${hit.translations.join(" / ") || "—"}`;
    mark.dataset.term = String(i + 1);
    parts.push(mark);
    at = hit.end;
  });
  parts.push(document.createTextNode(text.slice(at)));
  cell.replaceChildren(...parts);
  chips(cell); // inline codes stay chips inside and between the marks
}

export async function loadTerms() {
  const ids = rows().map(idOf);
  if (!ids.length) return;
  const result = await api("GET", `/api/documents/${docId}/terms?ids=${ids.join(",")}`);
  hits = result.ok ? result.data : {};
  rows().forEach(highlight);
  if (state.current) showTerms(state.current);
}

function showTerms(row) {
  const list = $("#glossary-terms");
  const found = hits[idOf(row)] || [];
  if (!found.length) {
    list.replaceChildren(el("li", "No glossary term in this segment.", "muted"));
    return;
  }
  list.replaceChildren(...found.map((hit, i) => {
    const li = el("li");
    const use = el("button", `Alt+T ${i + 1}`);
    use.type = "button";
    use.addEventListener("click", () => insertTerm(i));
    li.append(use, el("span", ` ${hit.text} → `), el("strong", hit.translations.join(" / ") || "—"));
    if (hit.forbidden.length) li.append(el("div", "not: " + hit.forbidden.join(", "), "forbidden muted"));
    if (hit.note) li.append(el("div", hit.note, "muted"));
    return li;
  }));
}

export function insertTerm(index) {
  const row = state.current;
  const hit = row && (hits[idOf(row)] || [])[index];
  if (!hit || !hit.translations.length || box(row).readOnly) return;
  const area = box(row);
  area.focus();
  // At the cursor, replacing any selection; on the box's own undo stack.
  if (!document.execCommand("insertText", false, hit.translations[0])) {
    const {selectionStart: a, selectionEnd: b, value} = area;
    area.value = value.slice(0, a) + hit.translations[0] + value.slice(b);
  }
  area.dispatchEvent(new Event("input", {bubbles: true}));
}

tools["add-term"] = async () => {
  const row = state.current;
  if (!row) return;
  const area = box(row);
  const target = area.value.substring(area.selectionStart, area.selectionEnd).trim();
  const source = sourceSelection.row === row ? sourceSelection.text : "";
  if (!source || !target) {
    return flash("Select the term in the source, then its translation in the target, then Alt+G.", true);
  }
  const result = await api("POST", "/api/terms", {document_id: Number(docId), source, target});
  if (!result.ok) return flash(result.data.error, true);
  flash(`Added to the glossary: ${source} → ${target}`);
  await loadTerms();
};
altKeys.KeyG = "add-term";

document.addEventListener("selectionchange", () => {
  const selection = window.getSelection();
  const node = selection.anchorNode;
  const cell = node && (node.nodeType === 1 ? node : node.parentElement)?.closest(".source-text");
  if (cell && String(selection).trim()) {
    sourceSelection = {row: cell.closest("tr.seg"), text: String(selection).trim()};
  }
});

// Alt+T, then 1-9 (with or without Alt): before the TM's Alt+digit handler sees it.
document.addEventListener("keydown", (event) => {
  if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyT") {
    event.preventDefault();
    event.stopImmediatePropagation();
    armed = true;
    $("#glossary-hint").hidden = false;
    return;
  }
  if (!armed || ["Alt", "AltGraph", "Shift"].includes(event.key)) return;
  armed = false;
  $("#glossary-hint").hidden = true;
  const digit = /^Digit([1-9])$/.exec(event.code);
  if (digit) {
    event.preventDefault();
    event.stopImmediatePropagation();
    insertTerm(Number(digit[1]) - 1);
  }
}, true);

events.addEventListener("segment-current", (event) => showTerms(event.detail));
loadTerms();
