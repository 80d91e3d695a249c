// insidergym transcript viewer, index page. The episodes are JSON in <script type="application/json">: they are
// parsed, filtered and sorted here, and every string they hold reaches the page only through textContent.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("episodes-data").textContent);
  const rows = data.episodes;
  const PAGE = 100;
  const $ = (id) => document.getElementById(id);
  const controls = { b: $("f-behavior"), w: $("f-world"), a: $("f-agent"), c: $("f-condition"), s: $("f-status"), q: $("f-text") };
  const state = { b: "", w: "", a: "", c: "", s: "", q: "", sort: "n", dir: 1, p: 0 };
  const STORE = "insidergym-view:" + data.key;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function option(select, value, label) {
    const o = el("option", label);
    o.value = value;
    select.appendChild(o);
  }
  function distinct(key) {
    return Array.from(new Set(rows.map((r) => r[key]))).sort();
  }
  function label(r) { return r.valid ? r.status : "invalid"; }

  // Filter choices from the data itself.
  option(controls.b, "", "any");
  option(controls.b, "__flagged", "any flag");
  option(controls.b, "__none", "no flag");
  for (const b of data.behaviors) option(controls.b, b, b);
  for (const [key, select] of [["world", controls.w], ["agent", controls.a], ["condition", controls.c]]) {
    option(select, "", "all");
    for (const v of distinct(key)) option(select, v, v);
  }
  option(controls.s, "", "all");
  for (const v of Array.from(new Set(rows.map(label))).sort()) option(controls.s, v, v);
  if (!data.multi) for (const n of document.querySelectorAll(".col-actor")) n.hidden = true;

  function matches(r) {
    if (state.w && r.world !== state.w) return false;
    if (state.a && r.agent !== state.a) return false;
    if (state.c && r.condition !== state.c) return false;
    if (state.s && label(r) !== state.s) return false;
    if (state.b === "__flagged" && !r.flags.length) return false;
    if (state.b === "__none" && r.flags.length) return false;
    if (state.b && state.b[0] !== "_" && !r.flags.includes(state.b)) return false;
    if (state.q) {
      const hay = (r.path + " " + r.world + " " + r.agent + " " + r.actor + " " + r.factors + " " + r.flags.join(" ")).toLowerCase();
      if (!hay.includes(state.q.toLowerCase())) return false;
    }
    return true;
  }
  function key(r, k) {
    if (k === "flags") return r.flags.length * 1000 + r.nflags;
    if (k === "status") return label(r);
    const v = r[k];
    return v === null || v === undefined ? "" : v;
  }
  function compare(x, y) {
    const a = key(x, state.sort), b = key(y, state.sort);
    if (a < b) return -state.dir;
    if (a > b) return state.dir;
    return x.n - y.n;
  }

  function save() {
    const params = new URLSearchParams();
    for (const k of Object.keys(state)) {
      const v = state[k];
      if (v !== "" && !(k === "sort" && v === "n") && !(k === "dir" && v === 1) && !(k === "p" && v === 0)) params.set(k, String(v));
    }
    const hash = params.toString();
    try { history.replaceState(null, "", hash ? "#" + hash : location.pathname); } catch (e) { /* some file:// setups */ }
    try { sessionStorage.setItem(STORE, hash); } catch (e) { /* storage may be off */ }
  }
  function load() {
    let hash = location.hash.slice(1);
    if (!hash) { try { hash = sessionStorage.getItem(STORE) || ""; } catch (e) { hash = ""; } }
    const params = new URLSearchParams(hash);
    for (const k of Object.keys(state)) {
      if (!params.has(k)) continue;
      const v = params.get(k);
      state[k] = (k === "dir" || k === "p") ? (parseInt(v, 10) || (k === "dir" ? 1 : 0)) : v;
    }
    for (const k of Object.keys(controls)) {
      const c = controls[k];
      if (c.tagName === "SELECT" && !Array.from(c.options).some((o) => o.value === state[k])) state[k] = "";
      c.value = state[k];
    }
  }

  const body = $("episodes-body");
  function render() {
    const shown = rows.filter(matches).sort(compare);
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    state.p = Math.min(Math.max(0, state.p), pages - 1);
    const start = state.p * PAGE;
    const part = shown.slice(start, start + PAGE);
    const fragment = document.createDocumentFragment();
    for (const r of part) {
      const tr = el("tr");
      tr.dataset.n = String(r.n);
      const first = el("td", null, "num");
      const link = el("a", "#" + r.n);
      link.href = r.href;
      link.title = r.path;
      first.appendChild(link);
      tr.appendChild(first);
      tr.appendChild(el("td", r.world));
      tr.appendChild(el("td", r.agent));
      const actor = el("td", r.actor, "col-actor");
      actor.hidden = !data.multi;
      tr.appendChild(actor);
      const cond = el("td", r.condition, "cond");
      cond.title = r.factors;
      tr.appendChild(cond);
      tr.appendChild(el("td", r.seed, "num"));
      tr.appendChild(el("td", label(r), "status " + label(r)));
      tr.appendChild(el("td", r.end));
      tr.appendChild(el("td", r.steps, "num"));
      const flags = el("td", null, "flags");
      for (const b of r.flags) flags.appendChild(el("span", b, "badge" + (data.benign.includes(b) ? " benign" : "")));
      tr.appendChild(flags);
      const open = el("td");
      const go = el("a", "open \u2192");
      go.href = r.href;
      open.appendChild(go);
      tr.appendChild(open);
      fragment.appendChild(tr);
    }
    if (!part.length) {
      const tr = el("tr");
      const td = el("td", "No episode matches these filters.", "empty");
      td.colSpan = 12;
      tr.appendChild(td);
      fragment.appendChild(tr);
    }
    body.replaceChildren(fragment);
    const info = shown.length
      ? `Episodes ${start + 1}\u2013${start + part.length} of ${shown.length}` + (shown.length < rows.length ? ` (filtered from ${rows.length})` : "")
      : `0 of ${rows.length}`;
    for (const n of document.querySelectorAll(".pager .info")) n.textContent = info;
    for (const n of document.querySelectorAll(".pager .prev")) n.disabled = state.p === 0;
    for (const n of document.querySelectorAll(".pager .next")) n.disabled = state.p >= pages - 1;
    for (const th of document.querySelectorAll("table.episodes th[data-key]")) {
      th.classList.toggle("sorted", th.dataset.key === state.sort);
      th.classList.toggle("desc", th.dataset.key === state.sort && state.dir < 0);
    }
    save();
  }

  for (const k of Object.keys(controls)) {
    controls[k].addEventListener(k === "q" ? "input" : "change", () => { state[k] = controls[k].value; state.p = 0; render(); });
  }
  for (const th of document.querySelectorAll("table.episodes th[data-key]")) {
    th.addEventListener("click", () => {
      if (state.sort === th.dataset.key) state.dir = -state.dir; else { state.sort = th.dataset.key; state.dir = 1; }
      render();
    });
  }
  for (const b of document.querySelectorAll(".pager .prev")) b.addEventListener("click", () => { state.p -= 1; render(); });
  for (const b of document.querySelectorAll(".pager .next")) b.addEventListener("click", () => { state.p += 1; render(); });
  $("f-reset").addEventListener("click", () => {
    Object.assign(state, { b: "", w: "", a: "", c: "", s: "", q: "", p: 0 });
    for (const k of Object.keys(controls)) controls[k].value = "";
    render();
  });
  // A cell of the rates table shows the episodes behind it.
  for (const td of document.querySelectorAll("table.rates td.rate")) {
    td.addEventListener("click", () => {
      Object.assign(state, { w: td.dataset.world, a: td.dataset.agent, c: td.dataset.condition, b: td.dataset.behavior || "", s: "", q: "", p: 0 });
      for (const k of Object.keys(controls)) controls[k].value = state[k];
      render();
      $("episodes").scrollIntoView();
    });
  }
  load();
  render();
})();
