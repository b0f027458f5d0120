// Diagnosis: the "Diagnose" panel of the trace page (findings whose evidence spans light up in the waterfall) and
// the Diagnose page (slowest requests against the rest, before/after comparison of two time windows).
import { api, el, errorBox, formatDuration, hashParams, serviceColour } from './util.js';
import { field, loadOperations } from './traces.js';
import { breakdown } from './traceview.js';

const kindLabels = {
  'slow-statement': 'slow statement',
  'n-plus-one': 'N+1',
  'lock-contention': 'locks',
  'retry-storm': 'retry storm',
  'cache-miss': 'cache misses',
  'root-cause': 'root cause',
  'messaging-lag': 'messaging lag',
};

const ms = value => formatDuration(value * 1000);
const percent = value => `${(value * 100).toFixed(value > 0 && value < 0.01 ? 2 : 1)}%`;

/** The trace page's panel; state is the trace view's (model, collapsed, redraw). */
export function diagnosePanel(traceId, state) {
  const body = el('div', {});
  state.highlight = spanIds => highlight(state, spanIds);
  load(body, 'Analysing…', `/api/diagnose/traces/${traceId}`, diagnosis => traceDiagnosis(diagnosis, state));
  return el('section', { class: 'diagnose-panel', id: 'diagnose-panel' }, el('h2', {}, 'Diagnose'), body);
}

/** Shows busyText in container, then the elements render makes of the API answer's data, or the error. */
async function load(container, busyText, path, render) {
  container.replaceChildren(el('p', { class: 'muted' }, busyText));
  try {
    container.replaceChildren(...render((await api(path)).data));
  } catch (error) {
    container.replaceChildren(errorBox(error));
  }
}

function traceDiagnosis(diagnosis, state) {
  const findings = diagnosis.findings.length
    ? el('ol', { class: 'findings' }, diagnosis.findings.map(finding => findingItem(finding, state)))
    : el('p', { class: 'no-findings' }, 'No problem found: no slow or repeated statement, lock error, retry storm, cache misses, messaging lag or failure.');
  const path = diagnosis.criticalPath;
  const pathTotal = path.reduce((sum, step) => sum + step.selfTimeMs, 0) || 1;
  const heaviest = [...path].sort((a, b) => b.selfTimeMs - a.selfTimeMs).slice(0, 5);
  return [
    findings,
    el('div', { class: 'critical-path' },
      el('h3', {}, `Critical path: ${path.length} span${path.length === 1 ? '' : 's'}`),
      el('ul', { class: 'legend' }, heaviest.map(step => el('li', {},
        el('i', { style: { background: serviceColour(step.service) } }),
        `${step.service}: ${step.operation} ${ms(step.selfTimeMs)} (${Math.round((step.selfTimeMs / pathTotal) * 100)}%)`))),
      el('button', { type: 'button', class: 'link-button', onclick: () => state.highlight(path.map(step => step.spanId)) }, 'Highlight the critical path'),
      ' ',
      el('button', { type: 'button', class: 'link-button', onclick: () => state.highlight([]) }, 'Clear highlight')),
  ];
}

function findingItem(finding, state) {
  const evidence = finding.evidence;
  const facts = [
    evidence.count !== undefined ? `count ${evidence.count}` : null,
    evidence.durationMs !== undefined ? `duration ${ms(evidence.durationMs)}` : null,
    evidence.baselineMs !== undefined ? `baseline ${ms(evidence.baselineMs)}` : null,
  ].filter(Boolean).join(' · ');
  return el('li', { class: `finding severity-${finding.severity}`, 'data-kind': finding.kind },
    el('div', { class: 'finding-head' },
      el('span', { class: `severity ${finding.severity}` }, finding.severity),
      el('span', { class: 'kind' }, kindLabels[finding.kind] ?? finding.kind),
      el('strong', {}, finding.title)),
    el('p', {}, finding.summary),
    evidence.statement ? el('code', { class: 'statement' }, evidence.statement) : null,
    facts ? el('p', { class: 'muted' }, facts) : null,
    finding.advice ? el('p', { class: 'advice' }, el('strong', {}, 'Fix: '), finding.advice) : null,
    finding.fix ? el('code', { class: 'statement fix' }, finding.fix) : null,
    evidence.plan ? el('details', { class: 'plan' }, el('summary', {}, 'Query plan (EXPLAIN)'), el('pre', {}, evidence.plan)) : null,
    el('button', {
      type: 'button', class: 'link-button evidence-link',
      onclick: () => state.highlight(evidence.spanIds),
    }, `Show ${evidence.spanIds.length} span${evidence.spanIds.length === 1 ? '' : 's'} in the waterfall`));
}

/** Marks spans in the waterfall, expands their collapsed ancestors and scrolls to the first. */
function highlight(state, spanIds) {
  state.highlighted = new Set(spanIds);
  for (const id of spanIds) {
    for (let span = state.model.byId.get(id); span; span = state.model.byId.get(span.parentId)) {
      if (span.spanID !== id) state.collapsed.delete(span.spanID);
    }
  }
  state.redraw();
  document.querySelector('#waterfall .span-row.highlighted')?.scrollIntoView({ block: 'center', behavior: 'smooth' });
}

const lookbacks = [['5m', 'Last 5 minutes'], ['15m', 'Last 15 minutes'], ['1h', 'Last hour'], ['6h', 'Last 6 hours'], ['24h', 'Last 24 hours']];

/** The Diagnose page: #/diagnose?service=&operation=&lookback=&slowestPercent= runs the set analysis at once. */
export async function renderDiagnose(view) {
  const params = hashParams();
  const service = el('select', { name: 'service', id: 'diagnose-service' }, el('option', { value: '' }, 'Choose a service'));
  const operation = el('select', { name: 'operation', id: 'diagnose-operation' }, el('option', { value: '' }, 'All operations'));
  const setForm = el('form', { class: 'search', id: 'diagnose-form' },
    field('Service', service),
    field('Operation', operation),
    field('Time range', el('select', { name: 'lookback' }, lookbacks.map(([value, label]) =>
      el('option', { value, selected: (params.get('lookback') ?? '15m') === value }, label)))),
    field('Slowest %', el('input', { name: 'slowestPercent', type: 'number', min: '0.1', max: '99', step: '0.1', size: 5, value: params.get('slowestPercent') ?? '5' })),
    el('button', { type: 'submit', id: 'diagnose-button' }, 'Analyse'));
  const setResults = el('section', { id: 'set-results' });

  const now = Date.now();
  const compareForm = el('form', { class: 'search', id: 'compare-form' },
    field('Before: from', el('input', { type: 'datetime-local', name: 'beforeStart', step: 1, value: localInput(now - 30 * 60_000) })),
    field('to', el('input', { type: 'datetime-local', name: 'beforeEnd', step: 1, value: localInput(now - 15 * 60_000) })),
    field('After: from', el('input', { type: 'datetime-local', name: 'afterStart', step: 1, value: localInput(now - 15 * 60_000) })),
    field('to', el('input', { type: 'datetime-local', name: 'afterEnd', step: 1, value: localInput(now) })),
    el('button', { type: 'submit', id: 'compare-button' }, 'Compare'));
  const compareResults = el('section', { id: 'compare-results' });

  view.append(
    el('h1', {}, 'Diagnose'),
    el('p', { class: 'muted' }, 'Why are some requests slow? The slowest requests of an operation against the rest, and a before/after comparison of two time windows.'),
    setForm, setResults,
    el('h2', {}, 'Before / after'),
    compareForm, compareResults);

  try {
    const services = (await api('/api/services')).data;
    service.append(...services.map(name => el('option', { value: name, selected: params.get('service') === name }, name)));
    await loadOperations(service.value, operation, params.get('operation'));
  } catch (error) {
    setResults.append(errorBox(error));
  }
  service.addEventListener('change', () => loadOperations(service.value, operation, null));

  setForm.addEventListener('submit', event => {
    event.preventDefault();
    const query = new URLSearchParams([...new FormData(setForm)].filter(([, value]) => value !== ''));
    const target = `#/diagnose?${query}`;
    if (location.hash === target) analyseSet(setResults, query); else location.hash = target;
  });
  compareForm.addEventListener('submit', event => {
    event.preventDefault();
    compare(compareResults, service.value, operation.value, new FormData(compareForm));
  });

  if (params.get('service')) await analyseSet(setResults, params);
}

function localInput(epochMs) {
  const date = new Date(epochMs - new Date(epochMs).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 19);
}

async function analyseSet(results, params) {
  if (!params.get('service')) {
    results.replaceChildren(errorBox(new Error('choose a service')));
    return;
  }
  const query = new URLSearchParams([...params].filter(([name]) => ['service', 'operation', 'lookback', 'slowestPercent'].includes(name)));
  await load(results, 'Analysing…', `/api/diagnose?${query}`, setDiagnosis);
}

function setDiagnosis(set) {
  const total = set.slow.requests.count + set.rest.requests.count;
  if (total === 0) return [el('p', { class: 'muted' }, 'No request of this operation in the time range.')];
  const slowLabel = `Slowest ${set.slowestPercent}% (≥ ${ms(set.slowThresholdMs)})`;
  return [
    el('p', {}, `${total} request${total === 1 ? '' : 's'} of ${set.service}${set.operation ? `: ${set.operation}` : ''}.`),
    requestTable(['', slowLabel, 'The rest'], [set.slow, set.rest]),
    el('div', { class: 'set-breakdowns' },
      shareBreakdown(`${slowLabel}: time by service, per request`, set.slow.timeByService, serviceColour),
      shareBreakdown('The rest: time by service, per request', set.rest.timeByService, serviceColour),
      shareBreakdown(`${slowLabel}: time by kind, per request`, set.slow.timeByKind, kindColour),
      shareBreakdown('The rest: time by kind, per request', set.rest.timeByKind, kindColour)),
    el('h3', {}, 'Where the slow requests spend more of their time'),
    set.growingOperations.length
      ? table(['Operation', 'Share (slowest)', 'Share (rest)', 'Per request (slowest)', 'Per request (rest)'],
          set.growingOperations.map(g => [el('code', {}, g.operation), percent(g.slowShare), percent(g.restShare), ms(g.slowMeanMs), ms(g.restMeanMs)]), 'growing-operations')
      : el('p', { class: 'muted' }, 'No operation takes a larger share in the slowest requests.'),
    el('h3', {}, 'Findings'),
    set.findings.length
      ? table(['Kind', 'Finding', 'Slowest', 'Rest', 'Examples'],
          set.findings.map(f => [
            el('span', { class: `severity ${f.severity}` }, kindLabels[f.kind] ?? f.kind),
            f.title,
            `${f.slowTraces} / ${set.slow.requests.count}`,
            `${f.restTraces} / ${set.rest.requests.count}`,
            el('span', {}, f.exampleTraceIds.map(id => el('a', { href: `#/trace/${id}`, class: 'example' }, id.slice(0, 8)))),
          ]), 'set-findings')
      : el('p', { class: 'muted' }, 'No finding in these requests.'),
  ];
}

/** A cache's miss ratio and lookups (summed over the group's requests), or a dash when nothing looked anything up. */
function cacheMisses(cache) {
  return cache.lookups ? `${percent(cache.missRatio)} of ${cache.lookups}` : '–';
}

function requestTable(headers, groups) {
  const rows = [
    ['Requests', g => String(g.requests.count)],
    ['Error rate', g => percent(g.requests.errorRate)],
    ['p50', g => ms(g.requests.p50Ms)],
    ['p95', g => ms(g.requests.p95Ms)],
    ['p99', g => ms(g.requests.p99Ms)],
    ['Max', g => ms(g.requests.maxMs)],
    ['Mean', g => ms(g.requests.meanMs)],
    ['Cache misses', g => cacheMisses(g.cache)],
  ];
  return table(headers, rows.map(([label, value]) => [label, ...groups.map(value)]), 'request-figures');
}

function kindColour(name) {
  return { database: 'var(--kind-database)', cache: 'var(--kind-cache)', messaging: 'var(--kind-messaging)', rpc: 'var(--kind-network)', http: '#74b816', internal: 'var(--kind-application)' }[name] ?? '#adb5bd';
}

/** Time shares (mean self time per request, ms) drawn like the trace page's breakdowns (µs). */
function shareBreakdown(title, shares, colourOf) {
  return breakdown(title, shares.map(s => [s.name, s.selfTimeMs * 1000]), colourOf);
}

function table(headers, rows, id) {
  return el('table', { class: 'figures-table', id },
    el('thead', {}, el('tr', {}, headers.map(h => el('th', {}, h)))),
    el('tbody', {}, rows.map(cells => el('tr', {}, cells.map(cell => el('td', {}, cell))))));
}

async function compare(results, service, operation, form) {
  if (!service) {
    results.replaceChildren(errorBox(new Error('choose a service above')));
    return;
  }
  const query = new URLSearchParams({ service });
  if (operation) query.set('operation', operation);
  for (const name of ['beforeStart', 'beforeEnd', 'afterStart', 'afterEnd']) {
    const value = form.get(name);
    if (value) query.set(name, new Date(value).toISOString());
  }
  await load(results, 'Comparing…', `/api/compare?${query}`, comparisonView);
}

function comparisonView(comparison) {
  const before = comparison.before.requests;
  const after = comparison.after.requests;
  const change = (a, b, format) => b === a ? '=' : `${format(a)} → ${format(b)}`;
  const rows = [
    ['Requests', String(before.count), String(after.count), `${after.count - before.count >= 0 ? '+' : ''}${after.count - before.count}`],
    ['Error rate', percent(before.errorRate), percent(after.errorRate), change(before.errorRate, after.errorRate, percent)],
    ['p50', ms(before.p50Ms), ms(after.p50Ms), change(before.p50Ms, after.p50Ms, ms)],
    ['p95', ms(before.p95Ms), ms(after.p95Ms), change(before.p95Ms, after.p95Ms, ms)],
    ['p99', ms(before.p99Ms), ms(after.p99Ms), change(before.p99Ms, after.p99Ms, ms)],
    ['Cache misses', cacheMisses(comparison.before.cache), cacheMisses(comparison.after.cache),
      change(comparison.before.cache.missRatio, comparison.after.cache.missRatio, percent)],
  ];
  return [
    table(['', 'Before', 'After', 'Change'], rows, 'compare-figures'),
    el('h3', {}, 'Operations whose time per request changed most'),
    comparison.changes.length
      ? table(['Operation', 'Calls per request', 'Per call', 'Per request', 'Change'],
          comparison.changes.map(c => [
            el('code', {}, c.operation),
            `${c.beforeCallsPerRequest} → ${c.afterCallsPerRequest}`,
            `${ms(c.beforeMeanMs)} → ${ms(c.afterMeanMs)}`,
            `${ms(c.beforePerRequestMs)} → ${ms(c.afterPerRequestMs)}`,
            el('span', { class: c.changeMs > 0 ? 'worse' : 'better' }, `${c.changeMs > 0 ? '+' : '−'}${ms(Math.abs(c.changeMs))}`),
          ]), 'compare-changes')
      : el('p', { class: 'muted' }, 'No request in either window.'),
  ];
}
