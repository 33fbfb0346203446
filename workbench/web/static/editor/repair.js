// Alignment repairs: merge, split (with its dialog), moving a target sentence up or
// down, and marking a source as having no counterpart. Each reloads the page.
import {$, api, box, dirty, flash, idOf, pushUndo, state, tools} from "./core.js";
import {save} from "./autosave.js";
import {focusRow} from "./grid.js";

const REPAIR_DONE = {
  merge: "Merged with the next segment", split: "Split the segment",
  "move-up": "Moved the first target sentence up", "move-down": "Moved the last target sentence down",
  "no-counterpart": "Marked the source as having no counterpart",
};
async function repair(op, extra, row = state.current) {
  if (!row) return;
  if (dirty(row) && !(await save(row, "draft"))) return flash("Save the segment before repairing it.", true);
  const result = await api("POST", `/api/segments/${idOf(row)}/repair`,
    {op, version: Number(row.dataset.version), ...extra});
  if (!result.ok) {
    focusRow(row);
    return flash(result.data.error || `error ${result.status}`, true);
  }
  pushUndo({kind: "repair"});
  sessionStorage.setItem("workbench:flash",
    `${REPAIR_DONE[op]} (#${Number(row.dataset.position) + 1}). Alt+Z undoes it.`);
  location.reload();
}
// The server counts characters (code points); a textarea counts UTF-16 units.
const codePoints = (text, offset) => [...text.slice(0, offset)].length;
function openSplit() {
  if (!state.current) return;
  const row = state.current;
  const dialog = $("#split-dialog");
  const form = $("form", dialog);
  // A box showing the MT prefill has no saved target yet: the server splits the MT itself.
  const prefilled = Boolean(row.dataset.prefilled) && !dirty(row);
  const cursor = prefilled ? 0 : box(row).selectionStart;
  form.source.value = form.source.dataset.text = $(".source-text", row).textContent;
  form.target.value = form.target.dataset.text = prefilled ? "" : box(row).value;
  form.target.placeholder = prefilled ? "No target yet: the MT is split with the source." : "";
  dialog.returnValue = "";
  dialog.showModal();
  form.target.setSelectionRange(cursor, cursor);
  const middle = Math.floor(form.source.value.length / 2);
  form.source.setSelectionRange(middle, middle);
  form.source.focus();
  dialog.onclose = () => {
    if (dialog.returnValue !== "split") return focusRow(row);
    repair("split", {
      source_offset: codePoints(form.source.value, form.source.selectionStart),
      target_offset: codePoints(form.target.value, form.target.selectionStart),
    }, row);
  };
}
// The split dialog's texts can be navigated but not changed (see document.html).
for (const area of $("#split-dialog").querySelectorAll("textarea")) {
  area.addEventListener("beforeinput", (event) => event.preventDefault());
  area.addEventListener("input", () => { // an edit beforeinput could not stop (IME)
    const at = area.selectionStart;
    area.value = area.dataset.text;
    area.setSelectionRange(at, at);
  });
}

Object.assign(tools, {
  merge: () => repair("merge"),
  split: openSplit,
  "move-up": () => repair("move-up"),
  "move-down": () => repair("move-down"),
  "no-counterpart": () => {
    const row = state.current;
    if (row && row.dataset.prefilled && !dirty(row)) {
      // The box shows the MT, not a translation aligned with the source: nothing to move out.
      return flash("This segment has no translation of its own yet, only the unedited MT:"
        + " there is no target to move to a segment of its own. Edit or clear the text instead.", true);
    }
    return repair("no-counterpart");
  },
});
