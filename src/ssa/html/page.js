// The behaviour of ssa.html: highlighting, folding, control-flow graphs. One listener on
// the document handles every click, so a page of any size starts at once; the graphs are
// drawn only when asked for. Once the document is parsed and laid out, <body data-ready> is
// set and window.toycReadyMs holds the milliseconds since navigation started.
"use strict";

// Highlight colours (page.css's .hl0 to .hl5), taken in turn; `taken` maps a class such as
// "v12" or "b3" to the colour it holds.
const N_COLOURS = 6;
const taken = new Map();
let nextColour = 0;

// Returns the class naming the value or block of element `el` ("v12", "b3"), or null.
function refClass(el) {
  for (const name of el.classList) {
    if (/^[vb]\d+$/.test(name)) return name;
  }
  return null;
}

// Highlights the value or block `ref` in every column (its definition and its uses), or
// clears it if it is highlighted.
function toggle(ref) {
  const elements = Array.from(document.getElementsByClassName(ref));
  if (taken.has(ref)) {
    const colour = "hl" + taken.get(ref);
    taken.delete(ref);
    for (const el of elements) el.classList.remove(colour);
    return;
  }
  let colour = nextColour;
  const used = new Set(taken.values());
  for (let idx = 0; idx < N_COLOURS && used.has(colour); idx++) colour = (colour + 1) % N_COLOURS;
  nextColour = (colour + 1) % N_COLOURS;
  taken.set(ref, colour);
  for (const el of elements) el.classList.add("hl" + colour);
}

// Returns the ranks of the blocks for drawing: the longest path from the entry over edges
// that are not back edges (found by a depth-first search), so edges point down.
function ranks(order, succs) {
  const rank = new Map(order.map((id) => [id, 0]));
  const state = new Map(); // 1: on the search's stack, 2: done
  const post = [];
  const back = new Set();
  const visit = (start) => {
    const stack = [[start, 0]];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const next = (succs.get(top[0]) || [])[top[1]++];
      if (next === undefined) {
        state.set(top[0], 2);
        post.push(top[0]);
        stack.pop();
      } else if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
      } else if (state.get(next) === 1) {
        back.add(top[0] + ">" + next);
      }
    }
  };
  for (const id of order) if (!state.has(id)) visit(id);
  for (const id of post.reverse()) {
    for (const succ of succs.get(id) || []) {
      if (!back.has(id + ">" + succ)) rank.set(succ, Math.max(rank.get(succ), rank.get(id) + 1));
    }
  }
  return { rank, back };
}

const SVG = "http://www.w3.org/2000/svg";

function svgElement(name, attrs) {
  const el = document.createElementNS(SVG, name);
  for (const key in attrs) el.setAttribute(key, attrs[key]);
  return el;
}

// Draws the control-flow graph of column `column` above its text: a box per block, ranked
// top to bottom, edges as arrows (back edges dashed, around the right).
function drawGraph(column) {
  const order = [];
  const succs = new Map();
  for (const def of column.querySelectorAll(".b.def")) {
    const id = refClass(def).slice(1);
    order.push(id);
    succs.set(id, def.dataset.succs.split(" ").filter((s) => s !== ""));
  }
  const { rank, back } = ranks(order, succs);
  const rows = [];
  for (const id of order) {
    const r = rank.get(id);
    (rows[r] = rows[r] || []).push(id);
  }
  const W = 44, H = 22, GAP_X = 16, GAP_Y = 30, PAD = 10;
  const widest = Math.max(...rows.map((row) => (row ? row.length : 0)));
  const width = PAD * 2 + widest * W + (widest - 1) * GAP_X + 30;
  const pos = new Map();
  rows.forEach((row, r) => {
    if (!row) return;
    const rowWidth = row.length * W + (row.length - 1) * GAP_X;
    const x0 = (width - 30 - rowWidth) / 2;
    row.forEach((id, idx) => pos.set(id, [x0 + idx * (W + GAP_X), PAD + r * (H + GAP_Y)]));
  });
  const height = PAD * 2 + rows.length * H + (rows.length - 1) * GAP_Y;
  const svg = svgElement("svg", { class: "graph", width, height, viewBox: `0 0 ${width} ${height}` });
  const marker = svgElement("marker", {
    id: "arrow", viewBox: "0 0 8 8", refX: 8, refY: 4, markerWidth: 7, markerHeight: 7, orient: "auto",
  });
  marker.appendChild(svgElement("path", { d: "M0,0 L8,4 L0,8 z", fill: "#57606a" }));
  const defs = svgElement("defs", {});
  defs.appendChild(marker);
  svg.appendChild(defs);
  for (const id of order) {
    const [x, y] = pos.get(id);
    for (const succ of succs.get(id)) {
      const [sx, sy] = pos.get(succ);
      let d;
      if (back.has(id + ">" + succ) || sy <= y) {
        const right = width - 12;
        d = `M${x + W},${y + H / 2} C${right},${y + H / 2} ${right},${sy + H / 2} ${sx + W},${sy + H / 2}`;
      } else {
        d = `M${x + W / 2},${y + H} C${x + W / 2},${y + H + GAP_Y / 2} ${sx + W / 2},${sy - GAP_Y / 2} ${sx + W / 2},${sy}`;
      }
      const cls = back.has(id + ">" + succ) ? "edge back" : "edge";
      svg.appendChild(svgElement("path", { class: cls, d, "marker-end": "url(#arrow)" }));
    }
  }
  for (const id of order) {
    const [x, y] = pos.get(id);
    const colour = taken.has("b" + id) ? " hl" + taken.get("b" + id) : "";
    const node = svgElement("g", { class: `node b b${id}${colour}` });
    node.appendChild(svgElement("rect", { x, y, width: W, height: H, rx: 4 }));
    const text = svgElement("text", { x: x + W / 2, y: y + H / 2 + 4, "text-anchor": "middle" });
    text.textContent = "b" + id;
    node.appendChild(text);
    svg.appendChild(node);
  }
  column.querySelector(".head").after(svg);
}

function onClick(event) {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const column = target.closest(".column");
  if (target.closest(".title") && column) {
    column.classList.toggle("folded");
    return;
  }
  if (target.classList.contains("cfg") && column) {
    const graph = column.querySelector("svg.graph");
    if (graph) graph.remove();
    else drawGraph(column);
    column.classList.toggle("cfg-open", !graph);
    return;
  }
  const ref = target.closest(".v, .b");
  if (ref) {
    const name = refClass(ref);
    if (name) toggle(name);
  }
}

document.addEventListener("click", onClick);
document.addEventListener("DOMContentLoaded", () => {
  // Reading a size lays the page out, so the time includes the layout a person waits for.
  void document.body.offsetHeight;
  window.toycReadyMs = performance.now();
  document.body.dataset.ready = "true";
});
