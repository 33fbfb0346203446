// The segment grid: showing a saved segment, live status counts, moving between
// segments and pages.
import {$, api, box, canApprove, dirty, docId, editor, el, events, filters, idOf, rowById, rows,
  shownTarget, state, unfinished} from "./core.js";

/** The QA flag icons of a row (their text on the active row, on hover, and in the QA panel). */
export function flagItems(flags) {
  return flags.map((f) => {
    const li = el("li", f.code, `flag flag-${f.code}`);
    li.title = f.message;
    li.dataset.code = f.code;
    li.setAttribute("aria-label", `QA ${f.code}: ${f.message}`);
    return li;
  });
}

export function note(row, text, kind) {
  const target = $(".saved", row);
  target.textContent = text;
  target.dataset.kind = kind || "";
}
export function formatMs(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}
/** A segment's diff against the MT, HTER and edit time (``null``: untouched, hidden). */
function showEffort(row, measured) {
  const effort = $(".effort", row);
  if (measured && !measured.pending) {
    effort.hidden = false;
    delete effort.dataset.pending;
    const hter = $(".hter", effort);
    hter.textContent = (measured.hter_exact ? "" : "≈") + measured.hter;
    if (measured.hter_exact) hter.removeAttribute("title");
    else hter.title = "approximate: a long segment gets a bounded search";
    $(".edit-time", effort).dataset.ms = measured.edit_ms;
    $(".edit-time", effort).textContent = formatMs(measured.edit_ms);
    $(".diff", effort).innerHTML = measured.diff; // escaped by the server
  } else if (measured === null) {
    effort.hidden = true;
  }
}

/** The rows the page sent without their HTER (its time budget for measuring edits ran
 * out), measured now: one request at a time, so the server stays free for saves. */
export async function measurePending() {
  for (const effort of document.querySelectorAll(".effort[data-pending]")) {
    const row = effort.closest("tr.seg");
    const {ok, data} = await api("GET", `/api/segments/${idOf(row)}`);
    if (ok && effort.dataset.pending) showEffort(row, data.effort);
  }
}

/** Show a segment as the server returned it; ``replace`` also puts its text in the box. */
export function apply(row, data, replace = false) {
  if (replace) box(row).value = shownTarget(data);
  row.dataset.version = data.version;
  row.dataset.status = data.status;
  // An untouched segment with MT: the box shows the MT (pre-filled) or offers it (suggestion).
  const untouched = !data.target && data.mt && data.status === "new";
  if (untouched && box(row).value === shownTarget(data)) row.dataset.prefilled = "1";
  else delete row.dataset.prefilled;
  const badge = $(".status", row);
  badge.textContent = data.status;
  badge.className = `status status-${data.status}`;
  state.saved.set(idOf(row), data.target);
  if (data.qa) {
    $(".qa", row).replaceChildren(...flagItems(data.qa));
  }
  const reason = $(".reason", row);
  reason.hidden = !(data.status === "rejected" && data.note);
  $("span", reason).textContent = data.note || "";
  showEffort(row, data.effort);
  const locked = data.status === "approved" && !canApprove;
  box(row).readOnly = locked;
  const confirm = $("[data-action=confirm]", row);
  if (confirm) confirm.disabled = locked;
  events.dispatchEvent(new CustomEvent("segment-saved", {detail: row}));
}

// ---- status counts and progress bar, kept live after every change ----
// Asked of the server rather than counted here: it also sees colleagues' saves.
let statsTimer = null;
let statsAsked = 0;
function showCounts(counts) {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  for (const [status, n] of Object.entries(counts)) {
    const cell = document.getElementById("count-" + status);
    if (cell) cell.textContent = n;
  }
  $("#count-total").textContent = total;
  for (const part of document.querySelectorAll("#progress-bar [data-status]")) {
    part.style.width = total ? `${(100 * (counts[part.dataset.status] || 0)) / total}%` : "0%";
  }
  $("#progress-bar").title = `${counts.approved || 0} of ${total} approved`;
}
export async function refreshStats(words = false) {
  const asked = ++statsAsked;
  let result;
  try {
    result = await api("GET", `/api/documents/${docId}/stats${words ? "" : "?words=0"}`);
  } catch (_) {
    if (words) $("#words").textContent = "";
    return;
  }
  if (!result.ok) {
    if (words) $("#words").textContent = "";
    return;
  }
  if (result.data.words) {
    const w = result.data.words;
    $("#words").textContent = `${w.source} source words · ${w.target} target words`;
  }
  if (asked !== statsAsked) return; // a later refresh is on its way
  showCounts(result.data.counts);
  editor.dataset.statsRefreshed = asked;
}
export function statsSoon() { // saves come in bursts (autosave, bulk): one refresh per burst
  clearTimeout(statsTimer);
  statsTimer = setTimeout(() => refreshStats(), 200);
}

// ---- moving around ----
export function setCurrent(row) {
  if (state.current === row) return;
  if (state.current) state.current.classList.remove("current");
  state.current = row;
  row.classList.add("current");
  $("#current-label").textContent = "#" + (Number(row.dataset.position) + 1);
  history.replaceState(null, "", "#seg-" + idOf(row));
  events.dispatchEvent(new CustomEvent("segment-current", {detail: row}));
}
export function focusRow(row) {
  if (!row) return;
  box(row).focus();
  row.scrollIntoView({block: "center"});
}
export function goPage({page, segment, edge}) {
  const params = new URLSearchParams(filters);
  if (page) params.set("page", page);
  if (segment) params.set("segment", segment);
  if (edge) sessionStorage.setItem("workbench:edge", edge);
  location.href = `/documents/${docId}?${params}` + (segment ? `#seg-${segment}` : "");
}
export function step(delta) {
  const all = rows();
  const index = all.indexOf(state.current);
  const next = all[index + delta];
  if (next) return focusRow(next);
  const page = Number(editor.dataset.page) + delta;
  if (page >= 1 && page <= Number(editor.dataset.pages)) {
    goPage({page, edge: delta > 0 ? "first" : "last"});
  }
}
export async function nextUnfinished() {
  const all = rows();
  const after = all.slice(all.indexOf(state.current) + 1);
  const local = after.find((row) => unfinished.includes(row.dataset.status));
  if (local) return focusRow(local);
  const position = state.current ? state.current.dataset.position : -1;
  const result = await api("GET", `/api/documents/${docId}/next?after=${position}`);
  if (!result.ok || result.data.id === null) {
    $("#bulk-result").hidden = false;
    $("#bulk-result").textContent = (result.data && result.data.message) || "No unfinished segment.";
    return;
  }
  const row = rowById(result.data.id);
  if (row) return focusRow(row);
  goPage({segment: result.data.id});
}
/** Show the server's version of every row on the page that is not being edited. */
export async function refreshRows() {
  const ids = rows().map(idOf);
  statsSoon();
  if (!ids.length) return;
  const result = await api("GET", `/api/documents/${docId}/segments?ids=${ids.join(",")}`);
  if (!result.ok) return;
  for (const data of result.data) {
    const row = rowById(data.id);
    if (!row || row.saving || dirty(row) || Number(row.dataset.version) === data.version) continue;
    apply(row, data);
    note(row, `${data.status} · v${data.version}`);
  }
}
