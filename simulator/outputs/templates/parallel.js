// Parallel coordinates with brushing: drag along an axis to keep the plans whose value lies
// in the range; drag again to move it, double-click the axis to clear it. No libraries.
(function () {
  const data = JSON.parse(document.getElementById("parallel-data").textContent);
  const svg = document.getElementById("parallel");
  const status = document.getElementById("parallel-status");
  const NS = "http://www.w3.org/2000/svg";
  const W = 1180, H = 420, top = 30, bottom = 330, left = 70, right = W - 170;
  const n = data.axes.length;
  const x = (j) => left + (n === 1 ? 0 : (j * (right - left)) / (n - 1));
  const y = (v) => bottom - v * (bottom - top);
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const el = (name, attrs, parent) => {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    (parent || svg).appendChild(e);
    return e;
  };
  const brushes = new Array(n).fill(null);
  const order = data.lines.map((l, i) => i).sort((a, b) =>
    (data.lines[a].front + 2 * data.lines[a].base) - (data.lines[b].front + 2 * data.lines[b].base));
  const paths = [];
  for (const i of order) {
    const line = data.lines[i];
    const pts = line.values.map((v, j) => (v === null ? null : `${x(j)},${y(v)}`)).filter(Boolean);
    const p = el("polyline", {
      points: pts.join(" "), fill: "none", stroke: line.colour,
      "stroke-width": line.front || line.base ? 2.4 : 1, "stroke-opacity": line.front || line.base ? 0.95 : 0.35,
      "stroke-dasharray": line.base ? "6 4" : "", "data-name": line.name,
    });
    el("title", {}, p).textContent = line.name;
    paths[i] = p;
  }
  data.axes.forEach((name, j) => {
    const g = el("g", { class: "axis", "data-axis": j });
    el("line", { x1: x(j), x2: x(j), y1: top, y2: bottom, stroke: "#555", "stroke-width": 1 }, g);
    el("text", { x: x(j), y: top - 10, "text-anchor": "middle", "font-size": 11 }, g).textContent = data.ends[j][1];
    el("text", { x: x(j), y: bottom + 16, "text-anchor": "middle", "font-size": 11 }, g).textContent = data.ends[j][0];
    const label = el("text", { x: x(j), y: bottom + 36, "text-anchor": "middle", "font-size": 12 }, g);
    const words = name.split(" ");  // lines of at most ~18 characters under the axis
    let lineText = "", lines = [];
    for (const w of words) {
      if (lineText && (lineText + " " + w).length > 18) { lines.push(lineText); lineText = w; }
      else lineText = lineText ? lineText + " " + w : w;
    }
    lines.push(lineText);
    lines.slice(0, 4).forEach((t, k) => {
      el("tspan", { x: x(j), dy: k ? 14 : 0 }, label).textContent = t;
    });
    const hit = el("rect", { x: x(j) - 14, y: top, width: 28, height: bottom - top, fill: "transparent",
      cursor: "crosshair", class: "brush-area" }, g);
    const box = el("rect", { x: x(j) - 8, y: top, width: 16, height: 0, fill: "#0072B2",
      "fill-opacity": 0.25, stroke: "#0072B2", visibility: "hidden" }, g);
    let start = null;
    const at = (ev) => {
      const r = svg.getBoundingClientRect();
      const py = ((ev.clientY - r.top) * H) / r.height;
      return Math.min(1, Math.max(0, (bottom - py) / (bottom - top)));
    };
    hit.addEventListener("mousedown", (ev) => { start = at(ev); ev.preventDefault(); });
    svg.addEventListener("mousemove", (ev) => {
      if (start === null) return;
      const v = at(ev);
      brushes[j] = [Math.min(start, v), Math.max(start, v)];
      box.setAttribute("y", y(brushes[j][1]));
      box.setAttribute("height", y(brushes[j][0]) - y(brushes[j][1]));
      box.setAttribute("visibility", "visible");
      update();
    });
    window.addEventListener("mouseup", () => { start = null; });
    hit.addEventListener("dblclick", () => { brushes[j] = null; box.setAttribute("visibility", "hidden"); update(); });
  });
  const legend = data.lines.filter((l) => l.front || l.base);
  legend.forEach((l, k) => {
    el("line", { x1: right + 30, x2: right + 58, y1: top + 16 * k, y2: top + 16 * k, stroke: l.colour,
      "stroke-width": 2.4, "stroke-dasharray": l.base ? "6 4" : "" });
    el("text", { x: right + 64, y: top + 16 * k + 4, "font-size": 11 }).textContent = l.name;
  });
  function update() {
    let kept = 0;
    data.lines.forEach((line, i) => {
      const ok = brushes.every((b, j) => b === null || (line.values[j] !== null && line.values[j] >= b[0] && line.values[j] <= b[1]));
      paths[i].setAttribute("visibility", ok ? "visible" : "hidden");
      kept += ok;
    });
    const active = brushes.filter((b) => b !== null).length;
    status.textContent = active
      ? `${kept} of ${data.lines.length} plans within the ${active} brushed range${active > 1 ? "s" : ""} (double-click an axis to clear it)`
      : `${data.lines.length} plans; drag along an axis to keep the plans in a range`;
    status.dataset.kept = kept;
  }
  update();
})();
