// Service map: services as boxes in columns by call depth, calls as arrows labelled with count and error rate.
import { api, el, errorBox, hashParams, serviceColour } from './util.js';

const svgNs = 'http://www.w3.org/2000/svg';
const lookbacks = [['900000', 'Last 15 minutes'], ['3600000', 'Last hour'], ['21600000', 'Last 6 hours'], ['86400000', 'Last 24 hours'], ['604800000', 'Last 7 days']];

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

export async function renderServiceMap(view) {
  const lookback = hashParams().get('lookback') ?? '3600000';
  const select = el('select', { onchange: () => { location.hash = `#/map?lookback=${select.value}`; } },
    lookbacks.map(([value, label]) => el('option', { value, selected: value === lookback }, label)));
  const canvas = el('section', { class: 'service-map', id: 'service-map' });
  view.append(el('h1', {}, 'Service map'), el('label', { class: 'field inline' }, el('span', {}, 'Calls observed in'), select), canvas);
  try {
    const [dependencies, services] = await Promise.all([
      api(`/api/dependencies?lookback=${lookback}`).then(r => r.data),
      api('/api/services').then(r => r.data),
    ]);
    canvas.append(draw(dependencies, services));
  } catch (error) {
    canvas.append(errorBox(error));
  }
}

function draw(edges, services) {
  const names = [...new Set([...services, ...edges.flatMap(e => [e.parent, e.child])])].sort();
  if (names.length === 0) return el('p', { class: 'muted' }, 'No service has sent spans yet.');

  // Column = longest call chain leading to the service (cycles are cut by the visit limit).
  const depth = new Map(names.map(n => [n, 0]));
  for (let pass = 0; pass < names.length; pass++) {
    for (const edge of edges) {
      if (edge.parent !== edge.child && depth.get(edge.child) < depth.get(edge.parent) + 1) depth.set(edge.child, depth.get(edge.parent) + 1);
    }
  }
  const columns = new Map();
  for (const name of names) {
    const column = Math.min(depth.get(name), names.length);
    if (!columns.has(column)) columns.set(column, []);
    columns.get(column).push(name);
  }
  const boxWidth = 170, boxHeight = 46, columnGap = 120, rowGap = 40;
  const position = new Map();
  const columnKeys = [...columns.keys()].sort((a, b) => a - b);
  columnKeys.forEach((column, x) => columns.get(column).forEach((name, y) =>
    position.set(name, { x: 20 + x * (boxWidth + columnGap), y: 20 + y * (boxHeight + rowGap) })));
  const width = 40 + columnKeys.length * (boxWidth + columnGap) - columnGap;
  const height = 40 + Math.max(...[...columns.values()].map(c => c.length)) * (boxHeight + rowGap) - rowGap;

  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'service dependency graph' },
    svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }))));

  for (const edge of edges) {
    const from = position.get(edge.parent), to = position.get(edge.child);
    const errorRate = edge.callCount ? edge.errorCount / edge.callCount : 0;
    const x1 = from.x + boxWidth, y1 = from.y + boxHeight / 2;
    const x2 = to.x, y2 = to.y + boxHeight / 2;
    const backwards = x2 <= x1;
    const path = backwards
      ? `M ${from.x + boxWidth / 2} ${from.y + boxHeight} C ${from.x + boxWidth / 2} ${from.y + boxHeight + 60}, ${to.x + boxWidth / 2} ${to.y + boxHeight + 60}, ${to.x + boxWidth / 2} ${to.y + boxHeight}`
      : `M ${x1} ${y1} C ${x1 + columnGap / 2} ${y1}, ${x2 - columnGap / 2} ${y2}, ${x2} ${y2}`;
    const label = `${edge.callCount} call${edge.callCount === 1 ? '' : 's'}${edge.errorCount ? `, ${(errorRate * 100).toFixed(errorRate < 0.1 ? 1 : 0)}% errors` : ''}`;
    root.append(svg('g', { class: `edge${edge.errorCount ? ' has-errors' : ''}` },
      svg('path', { d: path, 'marker-end': 'url(#arrow)', 'stroke-width': Math.min(6, 1.5 + Math.log10(edge.callCount + 1)) }),
      svg('text', { x: (x1 + x2) / 2, y: backwards ? Math.max(from.y, to.y) + boxHeight + 50 : (y1 + y2) / 2 - 8, 'text-anchor': 'middle' }, label)));
  }

  for (const [name, { x, y }] of position) {
    const link = svg('a', { href: `#/traces?service=${encodeURIComponent(name)}`, class: 'node', 'data-service': name },
      svg('rect', { x, y, width: boxWidth, height: boxHeight, rx: 8, style: `--service:${serviceColour(name)}` }),
      svg('text', { x: x + boxWidth / 2, y: y + boxHeight / 2 + 5, 'text-anchor': 'middle' }, name));
    root.append(link);
  }
  return root;
}
