// Confirming, approving and rejecting segments, copying the MT, and bulk approval.
import {$, api, box, canApprove, dirty, docId, el, events, filters, flash, pushUndo, rows, setText,
  setting, state, tools} from "./core.js";
import {save} from "./autosave.js";
import {focusRow, nextUnfinished, refreshRows} from "./grid.js";

/** The QA flags shown on a row, as [{code, message}]. */
export const flagsOf = (row) =>
  [...row.querySelectorAll(".qa .flag")].map((li) => ({code: li.dataset.code || li.textContent, message: li.title}));

/** Ask once (per segment text) before confirming a target with QA flags. */
function askAboutQa(row) {
  return new Promise((resolve) => {
    const dialog = $("#qa-dialog");
    $(".qa-list", dialog).replaceChildren(...flagsOf(row).map((f) => {
      const li = el("li");
      li.append(el("b", f.code), ` ${f.message}`);
      return li;
    }));
    dialog.returnValue = "";
    dialog.showModal();
    $("button[value=confirm]", dialog).focus();
    dialog.onclose = () => {
      if (dialog.returnValue !== "confirm") focusRow(row);
      resolve(dialog.returnValue === "confirm");
    };
  });
}

export async function confirmRow(row, go) {
  if (box(row).readOnly) return;
  const status = canApprove ? "approved" : "translated";
  if (setting("ask-qa")) {
    // The flags must be those of the text being confirmed: save a typed change first.
    if (dirty(row) && !(await save(row, "draft"))) return;
    const text = box(row).value;
    if (flagsOf(row).length && row.qaAskedFor !== text) {
      row.qaAskedFor = text;
      if (!(await askAboutQa(row))) return;
    }
  }
  const ok = await save(row, status);
  if (ok) events.dispatchEvent(new CustomEvent("segment-confirmed", {detail: row}));
  if (ok && go) nextUnfinished();
}

export function openReject(row) {
  if (!canApprove) return;
  const dialog = $("#reject-dialog");
  const form = $("form", dialog);
  form.reason.value = "";
  dialog.returnValue = "";
  dialog.showModal();
  dialog.onclose = () => {
    if (dialog.returnValue === "reject" && form.reason.value.trim()) {
      save(row, "rejected", form.reason.value.trim());
    }
    focusRow(row);
  };
}

tools["copy-mt"] = () => {
  const current = state.current;
  if (!current || box(current).readOnly) return;
  const mt = $(".mt-text", current).textContent.replace(/^—$/, "").trim();
  // No MT (e.g. a human translation aligned without it): keep the target as it is.
  if (!mt) return flash("This segment has no machine translation to copy.", true);
  setText(current, mt);
};
tools.reject = () => state.current && openReject(state.current);

const bulk = $("#bulk-approve");
if (bulk) {
  bulk.addEventListener("click", async () => {
    if (!window.confirm("Approve every filtered segment that has a target and no QA flag?")) return;
    for (const row of rows()) { // what was typed counts: the server approves what it has
      if (dirty(row) && !box(row).readOnly) await save(row, "draft");
    }
    const result = await api("POST", `/api/documents/${docId}/bulk-approve`, filters);
    if (!result.ok) return flash(result.data.error, true);
    if (result.data.approved) pushUndo({kind: "bulk", batch: result.data.batch});
    flash(`Approved ${result.data.approved} segment(s); ${result.data.skipped} skipped`
      + ` (QA flags or empty).${result.data.approved ? " Alt+Z undoes it." : ""}`);
    await refreshRows();
  });
}
