// Keyboard shortcuts. Alt+letter shortcuts are a table other modules may add to
// (keyed by KeyboardEvent.code), each naming a tool from core.tools.
import {$, rows, state, tools} from "./core.js";
import {focusRow, step} from "./grid.js";
import {insertMatch} from "./tm.js";
import {confirmRow} from "./review.js";

/** Alt+<code> -> tool name. */
export const altKeys = {
  KeyM: "copy-mt", KeyK: "concordance", KeyZ: "undo", KeyH: "history", KeyR: "reject",
  KeyJ: "merge", KeyS: "split", KeyN: "no-counterpart",
};

document.addEventListener("keydown", (event) => {
  const typing = /^(TEXTAREA|INPUT|SELECT)$/.test(document.activeElement.tagName);
  if (event.key === "F1" || (event.key === "?" && !typing)) {
    event.preventDefault();
    $("#help").open ? $("#help").close() : $("#help").showModal();
    return;
  }
  if (document.querySelector("dialog[open]")) return;
  if (event.ctrlKey && event.key === "Enter") {
    event.preventDefault();
    if (state.current) confirmRow(state.current, true);
    return;
  }
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  const digit = /^Digit([1-9])$/.exec(event.code);
  let handled = true;
  if (digit) insertMatch(Number(digit[1]) - 1);
  else if (event.key === "ArrowDown" && event.shiftKey) tools["move-down"]();
  else if (event.key === "ArrowUp" && event.shiftKey) tools["move-up"]();
  else if (event.key === "ArrowDown") state.current ? step(1) : focusRow(rows()[0]);
  else if (event.key === "ArrowUp") state.current ? step(-1) : focusRow(rows()[0]);
  else if (altKeys[event.code] && tools[altKeys[event.code]]) tools[altKeys[event.code]]();
  else handled = false;
  if (handled) event.preventDefault();
});
