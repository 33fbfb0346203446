// The segment editor's entry point: loads every part (each registers its tools and
// listeners), wires the grid's events and restores where the user was.
// Further panels (e.g. a glossary) are separate modules imported here.
import {$, box, editor, flash, idOf, rows, state, tools} from "./core.js";
import {edited, startAutosave} from "./autosave.js";
import {focusRow, formatMs, measurePending, refreshStats, setCurrent} from "./grid.js";
import {confirmRow, openReject} from "./review.js";
import "./tm.js";
import "./history.js";
import "./repair.js";
import "./keyboard.js";
import "./codes.js";
import {applyMtMode} from "./panels.js";

for (const row of rows()) {
  state.saved.set(idOf(row), row.dataset.prefilled ? "" : box(row).value);
  const ms = Number($(".edit-time", row).dataset.ms || 0);
  $(".edit-time", row).textContent = formatMs(ms);
}
editor.addEventListener("focusin", (event) => {
  const row = event.target.closest("tr.seg");
  // A button takes the row in its click: made current on mousedown, the rows above would
  // change height under the pointer and the click land elsewhere.
  if (row && event.target.tagName !== "BUTTON") {
    setCurrent(row);
    row.lastInput = Date.now();
  }
});
editor.addEventListener("input", (event) => {
  const row = event.target.closest("tr.seg");
  if (!row || event.target.tagName !== "TEXTAREA") return;
  edited(row);
});
editor.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  const row = button.closest("tr.seg");
  if (row) setCurrent(row);
  if (button.dataset.action === "approve" || button.dataset.action === "confirm") confirmRow(row, false);
  else if (button.dataset.action === "reject") openReject(row);
  else if (button.dataset.tool) tools[button.dataset.tool]();
});
$("#help-button").addEventListener("click", () => $("#help").showModal());

applyMtMode();
startAutosave();

const message = sessionStorage.getItem("workbench:flash");
if (message) { flash(message); sessionStorage.removeItem("workbench:flash"); }
const edge = sessionStorage.getItem("workbench:edge");
sessionStorage.removeItem("workbench:edge");
const target = location.hash.startsWith("#seg-") && document.querySelector(location.hash);
// After "load": Chromium moves focus back to the body when it finishes loading.
window.addEventListener("load", () => {
  // The glossary and leverage panels load after the page: they never delay opening it.
  import("./glossary.js");
  import("./leverage.js");
  measurePending();
  if (target) focusRow(target);
  else if (edge) focusRow(edge === "last" ? rows().at(-1) : rows()[0]);
});

refreshStats(true);
