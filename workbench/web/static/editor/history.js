// History of a segment (revert to any revision) and undo of the last save, revert,
// repair or bulk approval.
import {$, api, box, docId, el, flash, idOf, popUndo, pushUndo, rowById, state, timeEl,
  tools} from "./core.js";
import {clearBackup, showConflict} from "./autosave.js";
import {apply, focusRow, goPage, note, refreshRows, statsSoon} from "./grid.js";

async function showHistory(row) {
  const list = $("#history");
  const result = await api("GET", `/api/segments/${idOf(row)}/history`);
  if (!result.ok) return;
  list.replaceChildren(...result.data.map((rev) => {
    const li = el("li");
    const line = el("div", `v${rev.version} · ${rev.status} · ${rev.author || "?"} · `, "muted");
    line.append(timeEl(rev.created_at), ` · ${rev.action}`);
    li.append(line, el("div", rev.target || "(no target)"));
    if (rev.note) li.append(el("div", rev.note, "reason"));
    if (rev.version !== Number(row.dataset.version)) {
      const revert = el("button", `Revert to v${rev.version}`);
      revert.type = "button";
      revert.addEventListener("click", () => revertTo(row, rev.version));
      li.append(revert);
    }
    return li;
  }));
}
async function revertTo(row, version, record = true) {
  const base = Number(row.dataset.version);
  const result = await api("POST", `/api/segments/${idOf(row)}/revert`,
    {to_version: version, version: base});
  if (result.ok) {
    if (record) pushUndo({kind: "save", id: idOf(row), toVersion: base});
    apply(row, result.data, true);
    clearBackup(row);
    note(row, `reverted to v${version}`);
    statsSoon();
    if (state.current === row) showHistory(row);
  } else if (result.status === 409) {
    showConflict(row, box(row).value, result.data.current);
  } else {
    note(row, result.data.error, "bad");
  }
  return result.ok;
}

// ---- undo: the last save, revert, repair or bulk approval ----
export async function undo() {
  const entry = popUndo();
  if (!entry) return flash("Nothing to undo.");
  if (entry.kind === "save") {
    const row = rowById(entry.id);
    if (!row) return goPage({segment: entry.id});
    await revertTo(row, entry.toVersion, false);
    focusRow(row);
  } else if (entry.kind === "repair") {
    const result = await api("POST", `/api/documents/${docId}/undo`);
    if (!result.ok) return flash(result.data.error, true);
    location.reload();
  } else if (entry.kind === "bulk") {
    const result = await api("POST", `/api/documents/${docId}/bulk-undo`, {batch: entry.batch});
    flash(result.ok ? `Undone: ${result.data.restored} segment(s) back to their previous status.`
      : result.data.error, !result.ok);
    if (result.ok) await refreshRows();
  }
}

tools.history = () => state.current && showHistory(state.current);
tools.undo = undo;
