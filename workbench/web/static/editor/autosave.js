// Nothing typed is lost: autosave, a localStorage backup until the server has the text,
// editing time, and conflicts with a colleague's newer save.
import {$, BACKUP, api, box, csrf, dirty, el, idOf, pushUndo, rows, state, timeEl} from "./core.js";
import {apply, note, statsSoon} from "./grid.js";

const AUTOSAVE_MS = 1200;

// ---- local backup of everything typed, until the server has it ----
export function backup(row) {
  localStorage.setItem(BACKUP + idOf(row), JSON.stringify(
    {target: box(row).value, version: Number(row.dataset.version), at: Date.now()}));
  row.classList.add("unsaved");
}
export function clearBackup(row) {
  localStorage.removeItem(BACKUP + idOf(row));
  row.classList.remove("unsaved");
}

// ---- editing time: intervals between keystrokes, pauses over a minute left out ----
export function touch(row) {
  const now = Date.now();
  const gap = now - (row.lastInput || now);
  if (gap < 60000) row.editMs = (row.editMs || 0) + gap;
  row.lastInput = now;
}
function takeEditTime(row) {
  const ms = Math.round(row.editMs || 0);
  row.editMs = 0;
  return ms;
}

// ---- saving ----
export async function save(row, status, reason) {
  if (row.saving) {
    row.pending = {status: status || (row.pending && row.pending.status), reason};
    return row.savingPromise;
  }
  clearTimeout(row.timer);
  const target = box(row).value;
  const base = Number(row.dataset.version);
  const body = {target, version: base, edit_ms: takeEditTime(row)};
  if (status) body.status = status;
  if (reason) body.note = reason;
  row.saving = true;
  note(row, "saving…");
  let result;
  row.savingPromise = (async () => {
    try {
      result = await api("PUT", `/api/segments/${idOf(row)}`, body);
    } catch (_) {
      row.editMs = (row.editMs || 0) + body.edit_ms;
      note(row, "offline: kept in this browser, will retry", "warn");
      return false;
    } finally {
      row.saving = false;
    }
    if (result.ok) {
      pushUndo({kind: "save", id: idOf(row), toVersion: base});
      apply(row, result.data);
      if (box(row).value === result.data.target) clearBackup(row);
      note(row, `saved · v${result.data.version}`);
    } else if (result.status === 409) {
      showConflict(row, target, result.data.current, status);
    } else {
      note(row, result.data.error || `error ${result.status}`, "bad");
    }
    statsSoon();
    if (row.pending) {
      const next = row.pending;
      row.pending = null;
      return save(row, next.status, next.reason);
    }
    return result.ok;
  })();
  return row.savingPromise;
}

function autosave(row) {
  clearTimeout(row.timer);
  row.timer = setTimeout(() => { if (dirty(row)) save(row, "draft"); }, AUTOSAVE_MS);
}

/** Typing in a target box: back it up, note it, save it after a pause. */
export function edited(row) {
  touch(row);
  backup(row);
  note(row, "unsaved");
  autosave(row);
}

export function showConflict(row, mine, theirs, status) {
  const panel = $(".conflict", row);
  if (mine === theirs.target) { // the same text won anyway (e.g. our own flush on leaving)
    apply(row, theirs);
    clearBackup(row);
    note(row, `saved · v${theirs.version}`);
    return;
  }
  const keep = el("button", "Keep mine");
  const take = el("button", "Take theirs");
  keep.type = take.type = "button";
  const who = el("strong", `${theirs.updated_by || "Someone"} saved this segment `);
  // A timestamp when the server sent one; a restored backup has only a phrase.
  if (/^\d{4}-/.test(theirs.updated_at || "")) who.append(timeEl(theirs.updated_at));
  else who.append(theirs.updated_at || "");
  who.append(` (version ${theirs.version}).`);
  panel.replaceChildren(
    who,
    el("span", "Theirs:"), el("div", theirs.target, "version theirs"),
    el("span", "Yours:"), el("div", mine, "version mine"), keep, take);
  panel.hidden = false;
  note(row, "conflict", "bad");
  backup(row);
  const close = () => {
    panel.hidden = true;
    panel.replaceChildren();
  };
  keep.addEventListener("click", () => {
    row.dataset.version = theirs.version;
    box(row).value = mine;
    close();
    box(row).focus();
    save(row, status || "draft");
  });
  take.addEventListener("click", () => {
    apply(row, theirs, true);
    clearBackup(row);
    close();
    box(row).focus();
    note(row, `took version ${theirs.version}`);
  });
}

/** Flush on leaving, retry when the network is back, restore what the server never got. */
export function startAutosave() {
  window.addEventListener("pagehide", () => {
    for (const row of rows()) {
      if (!dirty(row) || box(row).readOnly) continue;
      backup(row);
      fetch(`/api/segments/${idOf(row)}`, {
        method: "PUT", keepalive: true, credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
        body: JSON.stringify({target: box(row).value, status: "draft",
          version: Number(row.dataset.version), edit_ms: takeEditTime(row)}),
      }).catch(() => {});
    }
  });
  function retryUnsaved() {
    for (const row of rows()) {
      if (row.classList.contains("unsaved") && dirty(row) && !row.saving &&
          $(".conflict", row).hidden) save(row, "draft");
    }
  }
  window.addEventListener("online", retryUnsaved);
  setInterval(retryUnsaved, 15000);

  // Restore what this browser typed but the server never acknowledged.
  for (const row of rows()) {
    const raw = localStorage.getItem(BACKUP + idOf(row));
    if (!raw) continue;
    const kept = JSON.parse(raw);
    const server = state.saved.get(idOf(row));
    if (kept.target === server) { clearBackup(row); continue; }
    if (kept.version === Number(row.dataset.version)) {
      box(row).value = kept.target;
      backup(row);
      note(row, "restored from this browser; saving…", "warn");
      save(row, "draft");
    } else {
      showConflict(row, kept.target, {
        target: server, version: Number(row.dataset.version), status: row.dataset.status,
        updated_by: "Someone", updated_at: "since your last edit",
      });
      note(row, "restored from this browser: conflicts with a newer save", "bad");
    }
  }
}
