// Shared by every part of the segment editor: the page's settings, DOM helpers, the
// JSON API, the undo stack, and two registries other modules extend (tools, shortcuts)
// and an event bus ("segment-current") so panels can follow the active segment.
// Vanilla JS on purpose: the tool runs offline and has nothing to build.

export const editor = document.getElementById("editor");
export const csrf = document.querySelector('meta[name="csrf-token"]').content;
export const docId = editor.dataset.document;
export const canApprove = editor.dataset.canApprove === "1";
export const unfinished = JSON.parse(editor.dataset.unfinished);
export const filters = JSON.parse(editor.dataset.filters);
export const BACKUP = "workbench:unsaved:";
const UNDO = "workbench:undo:" + docId;

/** Mutable editor state shared between modules. */
export const state = {
  current: null, // the active segment row
  saved: new Map(), // segment id -> text the server has
};
/** Fires "segment-current" (detail: the row) when the active segment changes. */
export const events = new EventTarget();
/** Side-panel tools by name (buttons with data-tool, and shortcuts call them). */
export const tools = {};

export const $ = (selector, root = document) => root.querySelector(selector);
export const rows = () => [...document.querySelectorAll("tr.seg")];
export const box = (row) => $("textarea", row);
export const idOf = (row) => row.dataset.segment;
export const rowById = (id) => document.getElementById("seg-" + id);
export const el = (tag, text, cls) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
};

export async function api(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json"},
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  let data = {};
  try { data = await response.json(); } catch (_) { /* not JSON */ }
  return {ok: response.ok, status: response.status, data};
}

// ---- undo stack (kept in sessionStorage so it survives page changes) ----
const undoStack = JSON.parse(sessionStorage.getItem(UNDO) || "[]");
export function pushUndo(entry) {
  undoStack.push(entry);
  sessionStorage.setItem(UNDO, JSON.stringify(undoStack.slice(-50)));
}
export function popUndo() {
  const entry = undoStack.pop();
  sessionStorage.setItem(UNDO, JSON.stringify(undoStack));
  return entry;
}

// Dirty: typed into since the server last acknowledged it (an MT prefill is not an edit).
export const dirty = (row) => row.classList.contains("unsaved") && box(row).value !== state.saved.get(idOf(row));

export function flash(text, bad) {
  const box_ = $("#bulk-result");
  box_.hidden = false;
  box_.textContent = text;
  box_.className = bad ? "flash flash-error" : "flash";
}

// ---- settings, kept in this browser ----
const SETTINGS = "workbench:settings";
const DEFAULTS = {"ask-qa": true, "mt-mode": "prefill"};
export function setting(name) {
  const stored = JSON.parse(localStorage.getItem(SETTINGS) || "{}");
  return name in stored ? stored[name] : DEFAULTS[name];
}
export function setSetting(name, value) {
  const stored = JSON.parse(localStorage.getItem(SETTINGS) || "{}");
  stored[name] = value;
  localStorage.setItem(SETTINGS, JSON.stringify(stored));
}

/** What the target box shows for a segment: its target, or, while it is "new" (untouched),
 * the MT pre-filled as an unedited MT target (marked as such) unless the MT is a suggestion. */
export const shownTarget = (data) =>
  data.target || (data.mt && data.status === "new" && setting("mt-mode") === "prefill" ? data.mt : "");

// ---- timestamps: relative ("3 min ago"), exact and local on hover ----
const UNITS = [["year", 31536000], ["month", 2592000], ["day", 86400], ["h", 3600], ["min", 60]];
export function ago(iso, now = Date.now()) {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 45) return "just now";
  for (const [unit, size] of UNITS) {
    const n = Math.round(seconds / size);
    if (n >= 1 && seconds >= size * 0.75) {
      const plural = n > 1 && (unit === "year" || unit === "month" || unit === "day") ? "s" : "";
      return `${n} ${unit}${plural} ago`;
    }
  }
  return "just now";
}
/** A <time> element for a stored UTC timestamp. */
export function timeEl(iso) {
  const node = el("time", ago(iso));
  const date = new Date(iso);
  if (!Number.isNaN(date.getTime())) {
    node.dateTime = iso;
    node.title = date.toLocaleString(undefined, {dateStyle: "medium", timeStyle: "medium"});
  }
  return node;
}

/** Replace a textarea's text so that Ctrl+Z in the box can take it back. */
export function setText(row, text) {
  const area = box(row);
  area.focus();
  area.select();
  // execCommand keeps the change on the textarea's own undo stack (Ctrl+Z).
  if (!document.execCommand("insertText", false, text)) area.value = text;
  area.dispatchEvent(new Event("input", {bubbles: true}));
}
