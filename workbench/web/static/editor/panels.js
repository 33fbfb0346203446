// Small parts of the editor page: the QA side panel (the active segment's flags with
// their explanations), the settings (kept in this browser) and the collapsed runs of
// page furniture.
import {$, box, dirty, editor, el, events, rows, setSetting, setting, state} from "./core.js";

// ---- QA panel ----
function showQa(row) {
  if (row !== state.current) return;
  const flags = [...row.querySelectorAll(".qa .flag")];
  $("#qa-list").replaceChildren(...(flags.length ? flags.map((flag) => {
    const li = el("li");
    li.append(el("b", flag.dataset.code || flag.textContent), ` ${flag.title}`);
    return li;
  }) : [el("li", "No QA flag.", "muted")]));
}
events.addEventListener("segment-current", (event) => showQa(event.detail));
events.addEventListener("segment-saved", (event) => showQa(event.detail));

// ---- settings ----
/** Show the MT in the unedited rows as the setting says: in the box, or as a suggestion. */
export function applyMtMode() {
  const suggest = setting("mt-mode") === "suggest";
  editor.classList.toggle("mt-suggest", suggest);
  for (const row of rows()) {
    if (!row.dataset.prefilled || dirty(row)) continue;
    const mt = $(".mt-text", row).textContent;
    // Only a box showing the other mode's text changes: never what was typed.
    if (suggest && box(row).value === mt) box(row).value = "";
    else if (!suggest && box(row).value === "") box(row).value = mt;
  }
}
const form = $("#settings");
form.querySelector("[name=ask-qa]").checked = setting("ask-qa");
form.querySelector("[name=mt-mode]").value = setting("mt-mode");
form.addEventListener("change", (event) => {
  const input = event.target;
  setSetting(input.name, input.type === "checkbox" ? input.checked : input.value);
  if (input.name === "mt-mode") applyMtMode();
});

// ---- page furniture: one thin row per run, expanded on click or Enter/Space ----
function toggleRun(run) {
  const open = run.getAttribute("aria-expanded") !== "true";
  run.setAttribute("aria-expanded", String(open));
  run.cells[1].textContent = (open ? "▾" : "▸") + run.cells[1].textContent.slice(1);
  for (let next = run.nextElementSibling; next && next.classList.contains("furniture");
    next = next.nextElementSibling) next.hidden = !open;
}
editor.addEventListener("click", (event) => {
  const run = event.target.closest("tr.furniture-run");
  if (run) toggleRun(run);
});
editor.addEventListener("keydown", (event) => {
  const run = event.target.closest && event.target.closest("tr.furniture-run");
  if (run && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    toggleRun(run);
  }
});
