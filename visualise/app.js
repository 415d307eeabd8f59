/* policekg graph page: legend, filters, search, node card and findings-on-demand.
 * Runs inside pyvis's script block, right after drawGraph(): `network`, `nodes` and `edges` are
 * its globals. Everything a user can see is written with textContent or built elements; the only
 * innerHTML is the hover title, which html.py escaped piece by piece.
 * window.policekg is the page's small API (tests and the benchmark use it). */
(function () {
  "use strict";
  var meta = JSON.parse(document.getElementById("policekg-meta").textContent);
  var api = { stable: false, stableAt: null, startedAt: performance.now(), meta: meta };
  window.policekg = api;
  var typeOn = {}, reportOn = {}, expanded = {}, converted = {};
  meta.types.forEach(function (t) { typeOn[t.name] = t.name !== "Finding" || meta.showFindings; });
  meta.reports.forEach(function (r) { reportOn[r.iri] = true; });
  var styleOf = {};
  meta.types.forEach(function (t) { styleOf[t.name] = t; });
  var reportLabel = {};
  meta.reports.forEach(function (r) { reportLabel[r.iri] = r.label; });

  // Counts as people write them: "1,000 reports", not "1000 reports".
  function num(n) { return Number(n).toLocaleString("en-GB"); }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function norm(s) {
    return String(s || "").toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"')
      .replace(/[\u2013\u2014]/g, "-").replace(/\s+/g, " ").trim();
  }

  // ---- legend icons: the same shapes vis draws --------------------------------------------
  var SVGNS = "http://www.w3.org/2000/svg";
  var SHAPES = {
    dot: ["circle", { cx: 8, cy: 8, r: 6 }],
    square: ["rect", { x: 2, y: 2, width: 12, height: 12 }],
    triangle: ["polygon", { points: "8,1.5 15,14 1,14" }],
    triangleDown: ["polygon", { points: "1,2 15,2 8,14.5" }],
    diamond: ["polygon", { points: "8,1 15,8 8,15 1,8" }],
    hexagon: ["polygon", { points: "4.5,2 11.5,2 15,8 11.5,14 4.5,14 1,8" }],
    star: ["polygon", { points: "8,1 10,6 15.5,6 11,9.5 13,15 8,11.5 3,15 5,9.5 0.5,6 6,6" }],
  };
  function icon(shape, color) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("aria-hidden", "true");
    var spec = SHAPES[shape] || SHAPES.dot, s = document.createElementNS(SVGNS, spec[0]);
    Object.keys(spec[1]).forEach(function (k) { s.setAttribute(k, spec[1][k]); });
    s.setAttribute("fill", color);
    svg.appendChild(s);
    return svg;
  }
  function line(color, width) {
    var svg = document.createElementNS(SVGNS, "svg"), l = document.createElementNS(SVGNS, "line");
    svg.setAttribute("width", "22"); svg.setAttribute("height", "10");
    [["x1", 1], ["y1", 5], ["x2", 21], ["y2", 5], ["stroke", color], ["stroke-width", width]]
      .forEach(function (a) { l.setAttribute(a[0], a[1]); });
    svg.appendChild(l);
    return svg;
  }

  // ---- visibility ---------------------------------------------------------------------------
  function nodeVisible(n) {
    var typeOk = n.ntype === "Finding" ? (typeOn.Finding || !!expanded[n.framework]) : typeOn[n.ntype];
    // Folded clutter: the "+N" node stands for its members until it is clicked.
    if (n.fold) typeOk = typeOk && !expanded[n.id];
    else if (n.folded) typeOk = typeOk && !!expanded[n.folded];
    var reps = n.reports || [];
    var reportOk = reps.length === 0 || reps.some(function (r) { return reportOn[r] !== false; });
    return !!typeOk && reportOk;
  }
  function applyFilters() {
    var nu = [], eu = [];
    nodes.forEach(function (n) {
      var hide = !nodeVisible(n);
      if (!!n.hidden !== hide) nu.push({ id: n.id, hidden: hide });
    });
    edges.forEach(function (e) {
      if (e.relation !== "grouped") return;
      var hide = !!(typeOn.Finding || expanded[e.framework]);
      if (!!e.hidden !== hide) eu.push({ id: e.id, hidden: hide });
    });
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
    updateCounts();
  }
  api.drawnNodeIds = function () { return network.body.nodeIndices.slice(); };
  api.setType = function (name, on) {
    typeOn[name] = on;
    var box = document.querySelector('#pkg-types input[data-type="' + name + '"]');
    if (box) box.checked = on;
    applyFilters();
  };
  api.setReport = function (iri, on) { reportOn[iri] = on; applyFilters(); };

  // Hidden findings and folded entities stay out of the physics; give each a place on a spiral
  // round its framework or its "+N" node.
  function placeFindings() {
    var byFw = {};
    nodes.forEach(function (n) {
      var at = n.folded || (n.ntype === "Finding" ? n.framework : null);
      if (at && n.physics === false) (byFw[at] = byFw[at] || []).push(n);
    });
    var pos = network.getPositions(Object.keys(byFw)), upd = [];
    Object.keys(byFw).forEach(function (fw) {
      var c = pos[fw] || { x: 0, y: 0 };
      byFw[fw].sort(function (a, b) {
        return (a.ordinal || 0) - (b.ordinal || 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      }).forEach(function (n, i) {
        var r = 35 + 11 * Math.sqrt(i + 1), a = i * 2.39996;  // golden angle: an even disc
        upd.push({ id: n.id, x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) });
      });
    });
    if (upd.length) nodes.update(upd);
  }
  api.toggleFramework = function (id) {
    expanded[id] = !expanded[id];
    applyFilters();
    return expanded[id];
  };
  api.unfold = function (id) {  // a "+N" node: show the entities it folds
    expanded[id] = true;
    applyFilters();
  };

  // ---- panel --------------------------------------------------------------------------------
  document.getElementById("pkg-title").textContent = meta.title;
  var notes = [];
  if (meta.mode === "overview") {
    notes.push("Overview of " + num(meta.reportCount) + " reports (" + num(meta.findingCount) + " findings): each force, and the " +
      "entities cited in most forces\u2019 findings; edge width = findings citing it. For the detail, run " +
      "policekg visualise with --force NAME, --report, --focus NAME or --top N.");
  } else if (meta.focus) {
    var f = nodes.get(meta.focus);
    notes.push("Neighbourhood of " + (f ? f.fullLabel : meta.focus) + " (depth " + meta.depth +
      "). Orange: trace paths from it (relations, and the findings citing what they reach).");
    if (meta.forcesInView > 2) notes.push("It spans " + meta.forcesInView + " forces: add --force NAME to see one.");
  } else {
    notes.push("Findings are grouped under their frameworks: tick Finding, or click a framework, to see them.");
  }
  if (meta.folded) notes.push("The " + meta.folded + " least-cited entities are folded into \u201c+N\u201d nodes: click one to show them.");
  if (meta.omitted) notes.push(num(meta.omitted) + " findings are not drawn (too many for one page): " +
    (meta.focus ? "add --force NAME or --report to see them." : "use --focus or --report to see them."));
  document.getElementById("pkg-note").textContent = notes.join(" ");

  var countEls = {};
  function updateCounts() {
    var shown = {}, total = {};
    nodes.forEach(function (n) {
      if (n.fold) return;
      total[n.ntype] = (total[n.ntype] || 0) + 1;
      if (!n.hidden) shown[n.ntype] = (shown[n.ntype] || 0) + 1;
    });
    Object.keys(countEls).forEach(function (t) {
      var all = total[t] || 0;
      countEls[t].textContent = (shown[t] || 0) === all ? String(all) : (shown[t] || 0) + "/" + all;
    });
  }
  var typesBox = document.getElementById("pkg-types");
  meta.types.forEach(function (t) {
    var inPage = nodes.get({ filter: function (n) { return n.ntype === t.name; } }).length;
    if (!inPage && !(t.name === "Finding" && meta.omitted)) return;
    var row = el("label", { class: "pkg-row" + (inPage ? "" : " pkg-empty") });
    var box = el("input", { type: "checkbox", "data-type": t.name });
    box.checked = typeOn[t.name];
    box.disabled = !inPage;
    box.addEventListener("change", function () { api.setType(t.name, box.checked); });
    row.appendChild(box);
    row.appendChild(icon(t.shape, t.color));
    row.appendChild(el("span", {}, t.name));
    countEls[t.name] = el("span", { class: "pkg-count" });
    row.appendChild(countEls[t.name]);
    typesBox.appendChild(row);
  });
  var edgeRows = meta.mode === "overview"
    ? [["relation between entities", meta.relationColor, 2], ["cited in the force\u2019s findings", meta.edges.cited, 3]]
    : [["relation between entities", meta.relationColor, 2], ["cited in findings (grouped)", meta.edges.grouped, 3],
      ["finding cites / under framework", meta.edges.cites, 1], ["framework within domain", meta.edges.broader, 1],
      ["report grades framework", meta.edges.judged, 1]];
  if (meta.focus) edgeRows.unshift(["trace path from " + (nodes.get(meta.focus) || {}).fullLabel, meta.traceColor, 4]);
  var edgesBox = document.getElementById("pkg-edges");
  edgeRows.forEach(function (r) {
    var row = el("div", { class: "pkg-row" });
    row.appendChild(line(r[1], r[2]));
    row.appendChild(el("span", {}, r[0]));
    edgesBox.appendChild(row);
  });
  var repBox = document.getElementById("pkg-reports");
  var inView = meta.reports.filter(function (r) { return r.inView; });
  // A long list of reports is no filter a person uses: say how many, and how to narrow.
  if (meta.mode === "overview") repBox.appendChild(el("p", { class: "pkg-hint" }, num(meta.reportCount) +
    " reports: see one force with --force NAME, or reports with --report."));
  else if (inView.length > 12) repBox.appendChild(el("p", { class: "pkg-hint" }, inView.length +
    " reports: narrow with --force NAME or --report."));
  else inView.forEach(function (r) {
    var row = el("label", { class: "pkg-row" }), box = el("input", { type: "checkbox", "data-report": r.iri });
    box.checked = true;
    box.addEventListener("change", function () { api.setReport(r.iri, box.checked); });
    row.appendChild(box);
    row.appendChild(el("span", { title: r.iri }, r.label + (r.year ? " (" + r.year + ")" : "")));
    repBox.appendChild(row);
  });
  if (!repBox.querySelector("input, p")) repBox.hidden = true;
  var names = document.getElementById("pkg-names"), seen = {};
  nodes.forEach(function (n) {
    if (n.ntype === "Finding" || n.fold) return;
    [n.fullLabel].concat(n.aliases || []).forEach(function (s) {
      if (!seen[s]) { seen[s] = 1; names.appendChild(el("option", { value: s })); }
    });
  });

  // ---- search -------------------------------------------------------------------------------
  api.search = function (query) {
    var q = norm(query), best = null, bestRank = 99;
    if (!q) return null;
    nodes.forEach(function (n) {
      if (n.fold) return;
      var all = [n.fullLabel].concat(n.aliases || []).map(norm), rank = 99;
      if (all.indexOf(q) >= 0) rank = 0;
      else if (all.some(function (s) { return s.indexOf(q) === 0; })) rank = 2;
      else if (all.some(function (s) { return s.indexOf(q) > 0; })) rank = 4;
      if (n.ntype === "Finding") rank += 1;  // an entity before a finding of the same name
      if (rank < bestRank || (rank === bestRank && best && (n.findings || 0) > (best.findings || 0))) {
        best = n; bestRank = rank;
      }
    });
    var msg = document.getElementById("pkg-search-msg");
    if (!best) { msg.textContent = "Nothing is called \u201c" + query + "\u201d."; return null; }
    msg.textContent = "";
    select(best.id);
    return best.id;
  };
  function select(id) {
    var n = nodes.get(id);
    if (!n) return;
    if (n.ntype === "Finding" && !typeOn.Finding) expanded[n.framework] = true;
    if (n.folded) expanded[n.folded] = true;
    else if (n.ntype !== "Finding" && !typeOn[n.ntype]) api.setType(n.ntype, true);
    (n.reports || []).forEach(function (r) {
      if (reportOn[r] === false) {
        reportOn[r] = true;
        var b = document.querySelector('#pkg-reports input[data-report="' + CSS.escape(r) + '"]');
        if (b) b.checked = true;
      }
    });
    applyFilters();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showCard(id);
  }
  api.select = select;
  document.getElementById("pkg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    api.search(document.getElementById("pkg-search").value);
  });

  // ---- node card ----------------------------------------------------------------------------
  var card = document.getElementById("pkg-card");
  function label(id) { var n = nodes.get(id); return n ? n.fullLabel : id; }
  function link(id, text) {
    var a = el("a", { tabindex: "0" }, text || label(id));
    a.addEventListener("click", function () { select(id); });
    return a;
  }
  function row(dl, term, value) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(el("dt", {}, term));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
  }
  function verbatim(n) {
    // The finding's text with the cited entities marked; offsets are relative to the finding.
    var q = el("blockquote"), text = n.text || "", at = 0;
    (n.mentions || []).forEach(function (m) {
      if (m[0] < at || m[1] > text.length) return;  // overlapping or stray offsets: skip
      q.appendChild(document.createTextNode(text.slice(at, m[0])));
      var mark = el("mark", { title: label(m[2]) }, text.slice(m[0], m[1]));
      if (nodes.get(m[2])) mark.addEventListener("click", function () { select(m[2]); });
      q.appendChild(mark);
      at = m[1];
    });
    q.appendChild(document.createTextNode(text.slice(at)));
    return q;
  }
  // The card is docked in a column right of the graph, never over it: opening or closing it
  // resizes the drawing area.
  function dock(open) {
    card.hidden = !open;
    document.body.classList.toggle("pkg-card-open", open);
    network.setSize("100%", "100%");
    network.redraw();
  }
  function showCard(id) {
    var n = nodes.get(id);
    if (!n || n.fold) return;
    card.replaceChildren();
    var close = el("button", { class: "pkg-close", "aria-label": "Close" }, "\u00d7");
    close.addEventListener("click", function () { dock(false); });
    card.appendChild(close);
    card.appendChild(el("h2", {}, n.fullLabel));
    var chip = el("span", { class: "pkg-type" }, n.ntype);
    chip.style.background = (styleOf[n.ntype] || {}).color || "#555";
    card.appendChild(chip);
    var dl = el("dl");
    if (n.ntype === "Finding") {
      row(dl, "Kind", n.kind_label);
      if (n.framework) row(dl, "Framework", link(n.framework));
      row(dl, "Grade", n.grade);
      row(dl, "Report", reportLabel[n.report] || n.report);
      row(dl, "Section", n.section);
      card.appendChild(dl);
      card.appendChild(verbatim(n));
    } else {
      row(dl, "Also", (n.aliases || []).join("; "));
      row(dl, "Code", n.notation);
      row(dl, "Level", n.level);
      row(dl, "Year", n.year);
      row(dl, "Findings", n.findings ? String(n.findings) : "");
      if (n.finding_count && n.ntype !== "Report") row(dl, "In its reports", n.finding_count + " findings");
      if (n.holds) row(dl, "Holds", Object.keys(n.holds).sort().map(function (t) { return n.holds[t] + " " + t; }).join(", "));
      if (n.forces) row(dl, "Forces citing", String(n.forces));
      row(dl, "Reports", (n.reports || []).length > 6 ? n.reports.length + " reports"
        : (n.reports || []).map(function (r) { return reportLabel[r] || r; }).join("; "));
      if (meta.mode === "overview" && n.ntype === "Force") {
        card.appendChild(dl);
        card.appendChild(el("p", { class: "pkg-hint" }, "Its detail: policekg visualise --force \u201c" + n.fullLabel + "\u201d"));
        dl = el("dl");
      }
      card.appendChild(dl);
      var rels = el("ul"), cited = el("ul"), nCited = 0, relLine = {};
      edges.forEach(function (e) {
        if (e.from !== id && e.to !== id) return;
        if (e.relation === "cited") return;
        if (e.relation === "cites" && e.to === id) {
          if (nCited++ < 12) { var li = el("li"); li.appendChild(link(e.from)); cited.appendChild(li); }
        } else if (e.relation !== "grouped" && e.relation !== "ofFramework") {
          // One line per relation and name: across forces, many systems share a name.
          var other = e.from === id ? e.to : e.from;
          var text = e.from === id ? e.relation + " \u2192 " : "\u2190 " + e.relation + " ";
          var key = text + label(other);
          if (relLine[key]) { relLine[key].n += 1; relLine[key].count.textContent = " \u00d7" + relLine[key].n; return; }
          var item = el("li"), count = el("span", { class: "pkg-times" });
          item.appendChild(document.createTextNode(text));
          item.appendChild(link(other));
          item.appendChild(count);
          relLine[key] = { n: 1, count: count };
          rels.appendChild(item);
        }
      });
      if (rels.childNodes.length) { card.appendChild(el("strong", {}, "Relations")); card.appendChild(rels); }
      if (nCited) {
        card.appendChild(el("strong", {}, "Cited in" + (nCited > 12 ? " (first 12 of " + nCited + ")" : "")));
        card.appendChild(cited);
      }
      if (n.ntype === "Framework" && n.findings && !typeOn.Finding) {
        var b = el("button", { class: "pkg-toggle" }, expanded[id] ? "Hide its findings" : "Show its findings");
        b.addEventListener("click", function () { api.toggleFramework(id); showCard(id); });
        card.appendChild(b);
      }
    }
    if (card.hidden) dock(true);
  }
  api.showCard = showCard;

  network.on("click", function (p) {
    if (!p.nodes.length) return;
    var n = nodes.get(p.nodes[0]);
    if (n && n.fold) { api.unfold(n.id); return; }
    if (n && n.ntype === "Framework" && !typeOn.Finding) api.toggleFramework(n.id);
    showCard(p.nodes[0]);
  });
  // vis shows a string title as plain text; turn the escaped markup into an element on first hover.
  function richTitle(ds, id) {
    if (converted[id]) return;
    var item = ds.get(id);
    if (!item || typeof item.title !== "string") return;
    converted[id] = true;
    var d = el("div");
    d.innerHTML = item.title;
    ds.update({ id: id, title: d });
  }
  network.on("hoverNode", function (p) { richTitle(nodes, p.node); });
  network.on("hoverEdge", function (p) { richTitle(edges, p.edge); });

  // Labels a person reads at the first zoom: the most-cited nodes (and the focus) get a font that
  // is at least 13 px on screen at that zoom; the others keep 14 world units, which vis does not
  // draw below 12 px on screen (drawThreshold), so they appear on zooming in, and on hover.
  function sizeLabels() {
    var scale = network.getScale(), size = Math.max(14, Math.ceil(13 / scale));
    var ranked = nodes.get({ filter: function (n) { return !n.hidden && !n.fold && n.ntype !== "Finding"; } });
    // Entities first (what a reader came for), then frameworks and reports; most cited first,
    // a relation between entities (the red edges) counting as two citations.
    var isEntity = function (n) { return meta.entityTypes.indexOf(n.ntype) >= 0 ? 1 : 0; };
    var STRUCTURE = { cites: 1, grouped: 1, ofFramework: 1, broader: 1, judged: 1, inspectedForce: 1, cited: 1 };
    var weight = {};
    nodes.forEach(function (n) { weight[n.id] = n.findings || 0; });
    edges.forEach(function (e) {
      if (STRUCTURE[e.relation]) return;
      weight[e.from] += 2;
      weight[e.to] += 2;
    });
    ranked.sort(function (a, b) {
      return (b.id === meta.focus) - (a.id === meta.focus) || isEntity(b) - isEntity(a) ||
        weight[b.id] - weight[a.id] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    api.bigLabels = ranked.slice(0, meta.bigLabels).map(function (n) { return n.id; });
    api.labelPx = size * scale;
    var upd = api.bigLabels.map(function (id) { return { id: id, font: { size: size } }; });
    nodes.forEach(function (n) { if (n.fold) upd.push({ id: n.id, font: { size: size } }); });
    nodes.update(upd);
  }
  function settled() {
    if (api.stable) return;
    network.setOptions({ physics: { enabled: false } });  // settle, then stop: the page stays idle
    placeFindings();
    if (meta.focus) { network.selectNodes([meta.focus]); showCard(meta.focus); }
    network.fit({ animation: false });
    sizeLabels();
    api.stable = true;
    api.stableAt = performance.now();
    document.body.setAttribute("data-stable", "1");
  }
  network.once("stabilizationIterationsDone", settled);
  updateCounts();
})();
