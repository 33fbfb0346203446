// Term candidates: one key per decision (A accept, E edit, R reject), arrows to move.
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const rows = Array.from(document.querySelectorAll("tr.candidate"));
  let current = 0;

  function focus(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle("current", i === current));
    rows[current].focus();
  }

  function nextOpen(from) {
    for (let i = from + 1; i < rows.length; i++) if (!rows[i].dataset.done) return i;
    return from;
  }

  async function decide(row, action) {
    const body = {action: action};
    if (action === "accept") {
      body.source = row.querySelector(".c-source").value;
      body.target = row.querySelector(".c-target").value;
    }
    const response = await fetch(`/api/term-candidates/${row.dataset.id}`, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(body),
    });
    const result = await response.json();
    const status = row.querySelector(".c-status");
    if (!response.ok) {
      status.textContent = result.error || "error";
      return;
    }
    status.textContent = result.status;
    row.dataset.done = result.status;
    row.classList.add(result.status);
    row.querySelectorAll("input").forEach((input) => (input.readOnly = true));
    focus(nextOpen(rows.indexOf(row)));
  }

  document.addEventListener("keydown", (event) => {
    const row = rows[current];
    if (!row) return;
    const editing = event.target.tagName === "INPUT" && !event.target.readOnly;
    if (editing) {
      if (event.key === "Enter") { event.preventDefault(); decide(row, "accept"); }
      if (event.key === "Escape") { event.target.readOnly = true; row.focus(); }
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const key = event.key.toLowerCase();
    if (key === "a" && !row.dataset.done) { event.preventDefault(); decide(row, "accept"); }
    else if (key === "r" && !row.dataset.done) { event.preventDefault(); decide(row, "reject"); }
    else if (key === "e" && !row.dataset.done) {
      event.preventDefault();
      row.querySelectorAll("input").forEach((input) => (input.readOnly = false));
      const target = row.querySelector(".c-target");
      target.focus();
      target.select();
    } else if (key === "arrowdown" || key === "j") { event.preventDefault(); focus(current + 1); }
    else if (key === "arrowup" || key === "k") { event.preventDefault(); focus(current - 1); }
  });
  rows.forEach((row, i) => row.addEventListener("click", () => focus(i)));
  focus(0);
})();
