// The query page of `policekg serve`: lists the named queries, runs them or a SPARQL text against
// this server, and renders the SPARQL JSON answer as a table. Same-origin requests only.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let named = [];

  function cell(term) {
    if (!term) return "";
    if (term.type === "literal" && term["xml:lang"]) return term.value + " @" + term["xml:lang"];
    return term.value;
  }

  function render(doc) {
    const head = $("results").tHead, body = $("results").tBodies[0];
    head.textContent = ""; body.textContent = "";
    if ("boolean" in doc) { $("status").textContent = "answer: " + doc.boolean; return; }
    const vars = doc.head.vars, row = head.insertRow();
    for (const v of vars) { const th = document.createElement("th"); th.textContent = v; row.appendChild(th); }
    for (const b of doc.results.bindings) {
      const tr = body.insertRow();
      for (const v of vars) tr.insertCell().textContent = cell(b[v]);
    }
    $("status").textContent = doc.results.bindings.length + " row(s)";
  }

  async function fetchAnswer(url, init) {
    $("status").className = ""; $("status").textContent = "running…";
    const resp = await fetch(url, Object.assign({ headers: { Accept: "application/sparql-results+json" } }, init));
    const text = await resp.text();
    if (!resp.ok) { $("status").className = "error"; $("status").textContent = text.trim(); return; }
    try { render(JSON.parse(text)); }
    catch (e) { $("status").className = "error"; $("status").textContent = "not a table: " + text.slice(0, 200); }
  }

  function showParams() {
    const q = named.find((x) => x.name === $("query-name").value);
    const form = $("params");
    form.textContent = "";
    if (!q) return;
    $("query-summary").textContent = q.summary + (q.example ? "  (e.g. " + q.example + ")" : "");
    for (const p of q.params) {
      const label = document.createElement("label");
      label.textContent = p.name + " (" + p.type + (p.optional ? ", optional" : "") + "): " + p.description + " ";
      const input = document.createElement("input");
      input.name = p.name; input.required = !p.optional;
      label.appendChild(input); form.appendChild(label);
    }
  }

  $("run-named").addEventListener("click", () => {
    const params = new URLSearchParams();
    for (const input of $("params").querySelectorAll("input")) if (input.value) params.set(input.name, input.value);
    const qs = params.toString();
    fetchAnswer("/queries/" + encodeURIComponent($("query-name").value) + (qs ? "?" + qs : ""));
  });
  $("run-sparql").addEventListener("click", () => {
    fetchAnswer("/sparql", { method: "POST", body: new URLSearchParams({ query: $("sparql").value }),
      headers: { Accept: "application/sparql-results+json" } });
  });
  $("query-name").addEventListener("change", showParams);

  fetch("/queries").then((r) => r.json()).then((items) => {
    named = items;
    for (const q of items) {
      const opt = document.createElement("option");
      opt.value = q.name; opt.textContent = q.name; $("query-name").appendChild(opt);
    }
    showParams();
    document.body.dataset.ready = "true";
  });
})();
