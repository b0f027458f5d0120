// A hash router over the diagnostics pages; every page renders into <main id="view">. Resources, console and
// structured logs are the Aspire dashboard's job, so there are no such pages here.
import { api } from './util.js';
import { renderTraces } from './traces.js';
import { renderTrace } from './traceview.js';
import { renderServiceMap } from './servicemap.js';
import { renderFaults } from './faults.js';
import { renderDiagnose } from './diagnosis.js';

const routes = [
  { pattern: /^#\/trace\/([0-9a-fA-F]+)/, page: 'traces', render: renderTrace },
  { pattern: /^#\/map/, page: 'map', render: renderServiceMap },
  { pattern: /^#\/faults/, page: 'faults', render: renderFaults },
  { pattern: /^#\/diagnose/, page: 'diagnose', render: renderDiagnose },
  { pattern: /^#\/traces/, page: 'traces', render: renderTraces },
];

async function route() {
  const hash = location.hash || '#/traces';
  const match = routes.map(r => ({ r, m: hash.match(r.pattern) })).find(x => x.m) ?? { r: routes.at(-1), m: [] };
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.dataset.page === match.r.page);
  }
  const view = document.getElementById('view');
  view.replaceChildren();
  await match.r.render(view, ...match.m.slice(1));
}

async function refreshStats() {
  try {
    const stats = await api('/api/stats');
    document.getElementById('stats').textContent =
      `${stats.traces.traceCount.toLocaleString()} traces · ${stats.traces.spanCount.toLocaleString()} spans · ${stats.logs.logCount.toLocaleString()} logs`
      + (stats.tailSampling.enabled
        ? ` · tail sampling kept ${stats.tailSampling.keptTraces.toLocaleString()} / dropped ${stats.tailSampling.droppedTraces.toLocaleString()} traces (${stats.tailSampling.keptSpans.toLocaleString()} / ${stats.tailSampling.droppedSpans.toLocaleString()} spans)`
        : ' · tail sampling off: every trace kept');
  } catch {
    document.getElementById('stats').textContent = 'diagnostics service unreachable';
  }
}

window.addEventListener('hashchange', route);
route();
refreshStats();
setInterval(refreshStats, 5000);
