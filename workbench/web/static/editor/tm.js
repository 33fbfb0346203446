// The translation-memory panel (matches for the active segment, Alt+1..9) and the
// concordance search (Alt+K).
import {$, api, box, el, events, idOf, setText, state, tools} from "./core.js";

let tmMatches = [];

async function loadMatches(row) {
  const list = $("#tm-matches");
  const id = idOf(row);
  const result = await api("GET", `/api/segments/${id}/tm`);
  if (state.current !== row) return;
  tmMatches = result.ok ? result.data.matches : [];
  if (!tmMatches.length) {
    list.replaceChildren(el("li", "No match.", "muted"));
    return;
  }
  list.replaceChildren(...tmMatches.map((m, i) => {
    const li = el("li");
    const use = el("button", `Alt+${i + 1}`);
    use.type = "button";
    use.addEventListener("click", () => insertMatch(i));
    const source = el("div", undefined, "match-diff");
    if (m.score < 100 && m.diff) {
      source.innerHTML = m.diff; // escaped by the server: <del> only in the TM, <ins> only here
      source.title = "Struck out: only in the memory's source; underlined: only in this segment's";
    } else {
      source.textContent = m.source;
      source.classList.add("muted");
    }
    li.append(el("span", `${m.score}% `, "score"), use, source, el("div", m.target));
    if (m.origin) li.append(el("div", m.origin, "muted"));
    return li;
  }));
}
export function insertMatch(index) {
  const match = tmMatches[index];
  if (!state.current || !match || box(state.current).readOnly) return;
  setText(state.current, match.target);
}
export async function concordance(query) {
  const list = $("#concordance-results");
  if (!query) return;
  const result = await api("GET", `/api/concordance?q=${encodeURIComponent(query)}`);
  const found = result.ok ? result.data : [];
  list.replaceChildren(...(found.length ? found.map((m) => {
    const li = el("li");
    li.append(el("div", m.source), el("div", m.target, "muted"));
    return li;
  }) : [el("li", result.ok ? "Nothing found." : result.data.error, "muted")]));
}
/** Alt+K: search the selected text (in the page or the target box). */
tools.concordance = () => {
  const input = $("#concordance input");
  const current = state.current;
  const selected = String(window.getSelection()) ||
    (current && box(current).value.substring(box(current).selectionStart, box(current).selectionEnd));
  if (selected) input.value = selected.trim();
  input.focus();
  if (input.value) concordance(input.value);
};

events.addEventListener("segment-current", (event) => loadMatches(event.detail));
$("#concordance").addEventListener("submit", (event) => {
  event.preventDefault();
  concordance(event.target.q.value.trim());
});
