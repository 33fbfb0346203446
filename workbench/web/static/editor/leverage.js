// TM leverage in the editor: after a confirm, offer to copy the target to the repetitions
// of the source (document or project), undoable in one click; the match analysis panel.
import {$, api, box, docId, el, events, flash, idOf, rowById, state} from "./core.js";
import {refreshRows} from "./grid.js";

const offer = $("#propagate-offer");

async function propose(row) {
  const id = idOf(row);
  const [inDoc, inProject] = await Promise.all([
    api("GET", `/api/segments/${id}/repetitions?scope=document`),
    api("GET", `/api/segments/${id}/repetitions?scope=project`),
  ]);
  const doc = inDoc.ok ? inDoc.data.count : 0;
  const project = inProject.ok ? inProject.data.count : 0;
  if (!doc && !project) return;
  const buttons = [];
  for (const [scope, count] of [["document", doc], ["project", project]]) {
    if (!count || (scope === "project" && count === doc)) continue;
    const button = el("button", `Copy to ${count} repetition(s) in the ${scope}`);
    button.type = "button";
    button.dataset.scope = scope;
    button.addEventListener("click", () => propagate(id, scope));
    buttons.push(button);
  }
  offer.replaceChildren(el("span", "Same source elsewhere: "), ...buttons);
  offer.hidden = false;
}

/** Show the targets the server now has for segments changed behind the editor's back. */
async function reloadTargets(ids) {
  const shown = ids.map(String).filter((id) => rowById(id));
  if (shown.length) {
    const result = await api("GET", `/api/documents/${docId}/segments?ids=${shown.join(",")}`);
    for (const data of result.ok ? result.data : []) {
      const row = rowById(data.id);
      box(row).value = data.target || "";
      state.saved.set(idOf(row), data.target || "");
    }
  }
  await refreshRows();
}

async function propagate(id, scope) {
  const result = await api("POST", `/api/segments/${id}/propagate`, {scope});
  if (!result.ok) return flash(result.data.error, true);
  const undo = el("button", "Undo");
  undo.type = "button";
  undo.addEventListener("click", async () => {
    const back = await api("POST", `/api/propagations/${result.data.batch}/undo`);
    if (!back.ok) return flash(back.data.error, true);
    offer.replaceChildren(el("span", `Restored ${back.data.restored.length} segment(s)`
      + (back.data.changed_since.length ? `; ${back.data.changed_since.length} changed since, kept.` : ".")));
    await reloadTargets(back.data.restored);
  });
  offer.replaceChildren(el("span", `Copied to ${result.data.changed.length} segment(s). `), undo);
  await reloadTargets(result.data.changed);
}

events.addEventListener("segment-confirmed", (event) => propose(event.detail));

const analyse = $("#analysis-button");
if (analyse) {
  analyse.addEventListener("click", async () => {
    const result = await api("GET", `/api/documents/${docId}/analysis`);
    const table = $("#analysis");
    if (!result.ok) return flash(result.data.error, true);
    const total = result.data.total.words || 1;
    const body = Object.entries(result.data.bands).map(([band, row]) => {
      const tr = el("tr");
      tr.dataset.band = band;
      tr.append(el("td", band), el("td", String(row.segments)), el("td", String(row.words)),
        el("td", `${(100 * row.words / total).toFixed(1)}%`));
      return tr;
    });
    table.tBodies[0].replaceChildren(...body);
    table.hidden = false;
  });
}
