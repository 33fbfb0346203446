// The segment editor: autosave with a localStorage backup, conflicts, keyboard
// shortcuts, TM matches, concordance, history, repairs and bulk approval.
// Vanilla JS on purpose: the tool runs offline and has nothing to build.
"use strict";

(() => {
  const editor = document.getElementById("editor");
  if (!editor) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const docId = editor.dataset.document;
  const canApprove = editor.dataset.canApprove === "1";
  const unfinished = JSON.parse(editor.dataset.unfinished);
  const filters = JSON.parse(editor.dataset.filters);
  const BACKUP = "workbench:unsaved:";
  const UNDO = "workbench:undo:" + docId;
  const AUTOSAVE_MS = 1200;
  const saved = new Map(); // segment id -> text the server has
  let current = null;
  let tmMatches = [];

  const $ = (selector, root = document) => root.querySelector(selector);
  const rows = () => [...document.querySelectorAll("tr.seg")];
  const box = (row) => $("textarea", row);
  const idOf = (row) => row.dataset.segment;
  const rowById = (id) => document.getElementById("seg-" + id);
  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };

  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json"},
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    let data = {};
    try { data = await response.json(); } catch (_) { /* not JSON */ }
    return {ok: response.ok, status: response.status, data};
  }

  // ---- undo stack (kept in sessionStorage so it survives page changes) ----
  const undoStack = JSON.parse(sessionStorage.getItem(UNDO) || "[]");
  function pushUndo(entry) {
    undoStack.push(entry);
    sessionStorage.setItem(UNDO, JSON.stringify(undoStack.slice(-50)));
  }
  function popUndo() {
    const entry = undoStack.pop();
    sessionStorage.setItem(UNDO, JSON.stringify(undoStack));
    return entry;
  }

  // ---- rendering a saved segment ----
  function note(row, text, kind) {
    const target = $(".saved", row);
    target.textContent = text;
    target.dataset.kind = kind || "";
  }
  function formatMs(ms) {
    const s = Math.round(ms / 1000);
    return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
  }
  function apply(row, data) {
    row.dataset.version = data.version;
    row.dataset.status = data.status;
    delete row.dataset.prefilled;
    const badge = $(".status", row);
    badge.textContent = data.status;
    badge.className = `status status-${data.status}`;
    saved.set(idOf(row), data.target);
    if (data.qa) {
      const list = $(".qa", row);
      list.replaceChildren(...data.qa.map((f) => {
        const li = el("li", f.code, `flag flag-${f.code}`);
        li.title = f.message;
        return li;
      }));
    }
    const reason = $(".reason", row);
    reason.hidden = !(data.status === "rejected" && data.note);
    $("span", reason).textContent = data.note || "";
    const effort = $(".effort", row);
    if (data.effort) {
      effort.hidden = false;
      $(".hter", effort).textContent = data.effort.hter;
      $(".edit-time", effort).dataset.ms = data.effort.edit_ms;
      $(".edit-time", effort).textContent = formatMs(data.effort.edit_ms);
      $(".diff", effort).innerHTML = data.effort.diff; // escaped by the server
    } else if (data.effort === null) {
      effort.hidden = true;
    }
    const locked = data.status === "approved" && !canApprove;
    box(row).readOnly = locked;
    const confirm = $("[data-action=confirm]", row);
    if (confirm) confirm.disabled = locked;
  }

  // ---- status counts and progress bar, kept live after every change ----
  // Asked of the server rather than counted here: it also sees colleagues' saves.
  let statsTimer = null;
  let statsAsked = 0;
  function showCounts(counts) {
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    for (const [status, n] of Object.entries(counts)) {
      const cell = document.getElementById("count-" + status);
      if (cell) cell.textContent = n;
    }
    $("#count-total").textContent = total;
    for (const part of document.querySelectorAll("#progress-bar [data-status]")) {
      part.style.width = total ? `${(100 * (counts[part.dataset.status] || 0)) / total}%` : "0%";
    }
    $("#progress-bar").title = `${counts.approved || 0} of ${total} approved`;
  }
  async function refreshStats(words = false) {
    const asked = ++statsAsked;
    let result;
    try {
      result = await api("GET", `/api/documents/${docId}/stats${words ? "" : "?words=0"}`);
    } catch (_) {
      if (words) $("#words").textContent = "";
      return;
    }
    if (!result.ok) {
      if (words) $("#words").textContent = "";
      return;
    }
    if (result.data.words) {
      const w = result.data.words;
      $("#words").textContent = `${w.source} source words · ${w.target} target words`;
    }
    if (asked !== statsAsked) return; // a later refresh is on its way
    showCounts(result.data.counts);
    editor.dataset.statsRefreshed = asked;
  }
  function statsSoon() { // saves come in bursts (autosave, bulk): one refresh per burst
    clearTimeout(statsTimer);
    statsTimer = setTimeout(() => refreshStats(), 200);
  }

  // ---- local backup of everything typed, until the server has it ----
  function backup(row) {
    localStorage.setItem(BACKUP + idOf(row), JSON.stringify(
      {target: box(row).value, version: Number(row.dataset.version), at: Date.now()}));
    row.classList.add("unsaved");
  }
  function clearBackup(row) {
    localStorage.removeItem(BACKUP + idOf(row));
    row.classList.remove("unsaved");
  }
  // Dirty: typed into since the server last acknowledged it (an MT prefill is not an edit).
  const dirty = (row) => row.classList.contains("unsaved") && box(row).value !== saved.get(idOf(row));

  // ---- editing time: intervals between keystrokes, pauses over a minute left out ----
  function touch(row) {
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
  async function save(row, status, reason) {
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

  function showConflict(row, mine, theirs, status) {
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
    panel.replaceChildren(
      el("strong", `${theirs.updated_by || "Someone"} saved this segment at ${theirs.updated_at} (version ${theirs.version}).`),
      el("span", "Theirs:"), el("div", theirs.target, "version theirs"),
      el("span", "Yours:"), el("div", mine, "version mine"), keep, take);
    panel.hidden = false;
    note(row, "conflict", "bad");
    backup(row);
    keep.addEventListener("click", () => {
      row.dataset.version = theirs.version;
      box(row).value = mine;
      panel.hidden = true;
      save(row, status || "draft");
    });
    take.addEventListener("click", () => {
      apply(row, theirs);
      box(row).value = theirs.target;
      clearBackup(row);
      panel.hidden = true;
      note(row, `took version ${theirs.version}`);
    });
  }

  // ---- moving around ----
  function setCurrent(row) {
    if (current === row) return;
    if (current) current.classList.remove("current");
    current = row;
    row.classList.add("current");
    $("#current-label").textContent = "#" + (Number(row.dataset.position) + 1);
    history.replaceState(null, "", "#seg-" + idOf(row));
    loadMatches(row);
  }
  function focusRow(row) {
    if (!row) return;
    box(row).focus();
    row.scrollIntoView({block: "center"});
  }
  function step(delta) {
    const all = rows();
    const index = all.indexOf(current);
    const next = all[index + delta];
    if (next) return focusRow(next);
    const page = Number(editor.dataset.page) + delta;
    if (page >= 1 && page <= Number(editor.dataset.pages)) {
      goPage({page, edge: delta > 0 ? "first" : "last"});
    }
  }
  function goPage({page, segment, edge}) {
    const params = new URLSearchParams(filters);
    if (page) params.set("page", page);
    if (segment) params.set("segment", segment);
    if (edge) sessionStorage.setItem("workbench:edge", edge);
    location.href = `/documents/${docId}?${params}` + (segment ? `#seg-${segment}` : "");
  }
  async function nextUnfinished() {
    const all = rows();
    const after = all.slice(all.indexOf(current) + 1);
    const local = after.find((row) => unfinished.includes(row.dataset.status));
    if (local) return focusRow(local);
    const position = current ? current.dataset.position : -1;
    const result = await api("GET", `/api/documents/${docId}/next?after=${position}`);
    if (!result.ok || result.data.id === null) {
      $("#bulk-result").hidden = false;
      $("#bulk-result").textContent = (result.data && result.data.message) || "No unfinished segment.";
      return;
    }
    const row = rowById(result.data.id);
    if (row) return focusRow(row);
    goPage({segment: result.data.id});
  }

  async function confirmRow(row, go) {
    const status = canApprove ? "approved" : "translated";
    const ok = await save(row, status);
    if (ok && go) nextUnfinished();
  }

  // ---- TM, concordance, history ----
  async function loadMatches(row) {
    const list = $("#tm-matches");
    const id = idOf(row);
    const result = await api("GET", `/api/segments/${id}/tm`);
    if (current !== row) return;
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
      li.append(el("span", `${m.score}% `, "score"), use, el("div", m.source, "muted"), el("div", m.target));
      if (m.origin) li.append(el("div", m.origin, "muted"));
      return li;
    }));
  }
  function insertMatch(index) {
    const match = tmMatches[index];
    if (!current || !match || box(current).readOnly) return;
    setText(current, match.target);
  }
  function setText(row, text) {
    const area = box(row);
    area.focus();
    area.select();
    // execCommand keeps the change on the textarea's own undo stack (Ctrl+Z).
    if (!document.execCommand("insertText", false, text)) area.value = text;
    area.dispatchEvent(new Event("input", {bubbles: true}));
  }
  async function concordance(query) {
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
  async function showHistory(row) {
    const list = $("#history");
    const result = await api("GET", `/api/segments/${idOf(row)}/history`);
    if (!result.ok) return;
    list.replaceChildren(...result.data.map((rev) => {
      const li = el("li");
      li.append(el("div", `v${rev.version} · ${rev.status} · ${rev.author || "?"} · ${rev.created_at} · ${rev.action}`, "muted"),
        el("div", rev.target || "(empty)"));
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
      apply(row, result.data);
      box(row).value = result.data.target;
      clearBackup(row);
      note(row, `reverted to v${version}`);
      statsSoon();
      if (current === row) showHistory(row);
    } else if (result.status === 409) {
      showConflict(row, box(row).value, result.data.current);
    } else {
      note(row, result.data.error, "bad");
    }
    return result.ok;
  }

  // ---- undo: the last save, revert, repair or bulk approval ----
  async function undo() {
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
  // After a bulk action: the rows of this page as the server has them now, without a reload
  // (focus, scroll and anything typed stay); rows being edited are left to their own save.
  async function refreshRows() {
    const ids = rows().map(idOf);
    statsSoon();
    if (!ids.length) return;
    const result = await api("GET", `/api/documents/${docId}/segments?ids=${ids.join(",")}`);
    if (!result.ok) return;
    for (const data of result.data) {
      const row = rowById(data.id);
      if (!row || row.saving || dirty(row) || Number(row.dataset.version) === data.version) continue;
      apply(row, data);
      note(row, `${data.status} · v${data.version}`);
    }
  }
  function flash(text, bad) {
    const box_ = $("#bulk-result");
    box_.hidden = false;
    box_.textContent = text;
    box_.className = bad ? "flash flash-error" : "flash";
  }

  // ---- repairs ----
  const REPAIR_DONE = {
    merge: "Merged with the next segment", split: "Split the segment",
    "move-up": "Moved the first target sentence up", "move-down": "Moved the last target sentence down",
    "no-counterpart": "Marked the source as having no counterpart",
  };
  async function repair(op, extra, row = current) {
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
    if (!current) return;
    const row = current;
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
  function openReject(row) {
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

  const tools = {
    "copy-mt": () => {
      if (!current || box(current).readOnly) return;
      const mt = $(".mt-text", current).textContent.replace(/^—$/, "");
      // No MT (e.g. a human translation aligned without it): keep the target as it is.
      if (!mt) return flash("This segment has no machine translation to copy.", true);
      setText(current, mt);
    },
    history: () => current && showHistory(current),
    undo,
    merge: () => repair("merge"),
    split: openSplit,
    "move-up": () => repair("move-up"),
    "move-down": () => repair("move-down"),
    "no-counterpart": () => repair("no-counterpart"),
  };

  // ---- events ----
  for (const row of rows()) {
    saved.set(idOf(row), row.dataset.prefilled ? "" : box(row).value);
    const ms = Number($(".edit-time", row).dataset.ms || 0);
    $(".edit-time", row).textContent = formatMs(ms);
  }
  editor.addEventListener("focusin", (event) => {
    const row = event.target.closest("tr.seg");
    if (row) {
      setCurrent(row);
      row.lastInput = Date.now();
    }
  });
  editor.addEventListener("input", (event) => {
    const row = event.target.closest("tr.seg");
    if (!row || event.target.tagName !== "TEXTAREA") return;
    touch(row);
    backup(row);
    note(row, "unsaved");
    autosave(row);
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
  $("#concordance").addEventListener("submit", (event) => {
    event.preventDefault();
    concordance(event.target.q.value.trim());
  });
  $("#help-button").addEventListener("click", () => $("#help").showModal());
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
      if (current) confirmRow(current, true);
      return;
    }
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const digit = /^Digit([1-9])$/.exec(event.code);
    let handled = true;
    if (digit) insertMatch(Number(digit[1]) - 1);
    else if (event.key === "ArrowDown" && event.shiftKey) tools["move-down"]();
    else if (event.key === "ArrowUp" && event.shiftKey) tools["move-up"]();
    else if (event.key === "ArrowDown") current ? step(1) : focusRow(rows()[0]);
    else if (event.key === "ArrowUp") current ? step(-1) : focusRow(rows()[0]);
    else if (event.code === "KeyM") tools["copy-mt"]();
    else if (event.code === "KeyK") {
      const input = $("#concordance input");
      const selected = String(window.getSelection()) ||
        (current && box(current).value.substring(box(current).selectionStart, box(current).selectionEnd));
      if (selected) input.value = selected.trim();
      input.focus();
      if (input.value) concordance(input.value);
    } else if (event.code === "KeyZ") undo();
    else if (event.code === "KeyH") tools.history();
    else if (event.code === "KeyR") current && openReject(current);
    else if (event.code === "KeyJ") tools.merge();
    else if (event.code === "KeyS") tools.split();
    else if (event.code === "KeyN") tools["no-counterpart"]();
    else handled = false;
    if (handled) event.preventDefault();
  });

  // Nothing typed is lost: flush on leaving, retry when the network is back.
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
    const server = saved.get(idOf(row));
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

  const message = sessionStorage.getItem("workbench:flash");
  if (message) { flash(message); sessionStorage.removeItem("workbench:flash"); }
  const edge = sessionStorage.getItem("workbench:edge");
  sessionStorage.removeItem("workbench:edge");
  const target = location.hash.startsWith("#seg-") && document.querySelector(location.hash);
  // After "load": Chromium moves focus back to the body when it finishes loading.
  window.addEventListener("load", () => {
    if (target) focusRow(target);
    else if (edge) focusRow(edge === "last" ? rows().at(-1) : rows()[0]);
  });

  refreshStats(true);
})();
