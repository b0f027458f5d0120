// Trace page: summary, waterfall with the critical path, span details and the trace's logs.
import { api, el, errorBox, formatDuration, formatTime, keyValueTable, serviceChip, serviceColour, tagMap } from './util.js';
import { diagnosePanel } from './diagnosis.js';

const derivedTags = new Set(['span.kind', 'otel.status_code', 'otel.status_description', 'error', 'otel.scope.name', 'otel.scope.version']);

export async function renderTrace(view, traceId) {
  view.append(el('p', { class: 'muted' }, 'Loading trace…'));
  let trace, logs, settings;
  try {
    [trace, logs, settings] = await Promise.all([
      api(`/api/traces/${traceId}`).then(r => r.data[0]),
      api(`/api/logs?traceId=${traceId}&limit=1000`).then(r => r.data).catch(() => []),
      api('/api/ui-settings').catch(() => ({})),
    ]);
  } catch (error) {
    view.replaceChildren(el('h1', {}, 'Trace'), errorBox(error));
    return;
  }

  const model = buildModel(trace);
  const details = el('aside', { class: 'span-details', id: 'span-details' }, el('p', { class: 'muted' }, 'Click a span to see its details.'));
  const state = { collapsed: new Set(), selected: null, model, logs, details };
  const waterfall = el('section', { class: 'waterfall', id: 'waterfall' });
  state.redraw = () => drawWaterfall(waterfall, state);

  view.replaceChildren(
    el('h1', {}, `${model.root.service}: ${model.root.operationName} `, el('code', { class: 'muted' }, trace.traceID)),
    aspireDashboardLink(settings.aspireDashboardUrl, trace.traceID),
    summary(model),
    diagnosePanel(trace.traceID, state),
    el('div', { class: 'trace-body' }, waterfall, details),
    el('h2', {}, `Logs of this trace (${logs.length})`),
    traceLogs(state));
  state.redraw();
}

/** The same trace in the Aspire dashboard (its trace detail page), when the AppHost told where that dashboard is. */
function aspireDashboardLink(dashboardUrl, traceId) {
  if (!dashboardUrl) return '';
  return el('p', {}, el('a', { id: 'aspire-trace-link', href: `${dashboardUrl}/traces/detail/${encodeURIComponent(traceId)}`, target: '_blank', rel: 'noopener' },
    'Open this trace in the Aspire dashboard'));
}

/** Spans with their service, parent, children, self time and category; roots; the critical path. */
function buildModel(trace) {
  const spans = trace.spans.map(span => {
    const tags = tagMap(span.tags);
    return {
      ...span,
      tagsMap: tags,
      service: trace.processes[span.processID]?.serviceName ?? 'unknown',
      process: trace.processes[span.processID],
      parentId: span.references.find(r => r.refType === 'CHILD_OF' && r.traceID === trace.traceID)?.spanID,
      end: span.startTime + span.duration,
      isError: tags.error === true || tags['otel.status_code'] === 'ERROR',
      children: [],
    };
  });
  const byId = new Map(spans.map(span => [span.spanID, span]));
  const roots = [];
  for (const span of spans) {
    const parent = byId.get(span.parentId);
    if (parent) parent.children.push(span); else roots.push(span);
  }
  for (const span of spans) span.children.sort((a, b) => a.startTime - b.startTime);
  roots.sort((a, b) => a.startTime - b.startTime);

  for (const span of spans) {
    span.selfTime = selfTime(span);
    span.category = category(span);
  }

  const start = Math.min(...spans.map(s => s.startTime));
  const end = Math.max(...spans.map(s => s.end));
  const critical = new Map();
  for (const root of roots) {
    for (const segment of criticalPath(root, root.end)) {
      if (!critical.has(segment.id)) critical.set(segment.id, []);
      critical.get(segment.id).push(segment);
    }
  }
  const root = roots.find(r => !r.parentId) ?? roots[0];
  return { trace, spans, byId, roots, root, start, end, total: Math.max(1, end - start), critical };
}

/** The span's own time: its duration less the union of its children's time within it. */
function selfTime(span) {
  let covered = 0;
  let cursor = span.startTime;
  for (const child of span.children) {
    const from = Math.max(child.startTime, cursor);
    const to = Math.min(child.end, span.end);
    if (to > from) {
      covered += to - from;
      cursor = to;
    }
  }
  return Math.max(0, span.duration - covered);
}

function category(span) {
  const tags = span.tagsMap;
  const database = tags['db.system.name'] ?? tags['db.system'];
  if (database) return ['redis', 'memcached', 'valkey'].includes(String(database).toLowerCase()) ? 'cache' : 'database';
  if (tags['messaging.system']) return 'messaging';
  const kind = tags['span.kind'];
  if (kind === 'client' || kind === 'producer') return 'network';
  return 'application';
}

/**
 * The critical path: walking back from the end of a span, the child that finished last before the cursor
 * determined when the span could finish; its own critical path is followed, then the cursor jumps to its start.
 * Returns segments { id, start, end } in microseconds.
 */
function criticalPath(span, limitEnd) {
  const segments = [];
  let cursor = Math.min(span.end, limitEnd);
  const children = [...span.children].sort((a, b) => b.end - a.end);
  for (const child of children) {
    if (child.startTime >= cursor || child.end <= span.startTime) continue;
    const childEnd = Math.min(child.end, cursor);
    if (childEnd < cursor) segments.push({ id: span.spanID, start: childEnd, end: cursor });
    segments.push(...criticalPath(child, childEnd));
    cursor = Math.max(child.startTime, span.startTime);
  }
  if (cursor > span.startTime) segments.push({ id: span.spanID, start: span.startTime, end: cursor });
  return segments;
}

function summary(model) {
  const byService = groupSum(model.spans, s => s.service);
  const byCategory = groupSum(model.spans, s => s.category);
  const services = new Set(model.spans.map(s => s.service));
  const errors = model.spans.filter(s => s.isError).length;
  return el('section', { class: 'trace-summary', id: 'trace-summary' },
    el('div', { class: 'figures' },
      figure('Duration', formatDuration(model.total)),
      figure('Spans', model.spans.length),
      figure('Services', services.size),
      figure('Errors', errors, errors ? 'bad' : ''),
      figure('Started', formatTime(model.start))),
    breakdown('Time by service', byService, name => serviceColour(name)),
    breakdown('Time by kind', byCategory, name => `var(--kind-${name})`));
}

function figure(label, value, cls = '') {
  return el('div', { class: `figure ${cls}` }, el('span', {}, label), el('strong', {}, String(value)));
}

function groupSum(spans, keyOf) {
  const sums = new Map();
  for (const span of spans) sums.set(keyOf(span), (sums.get(keyOf(span)) ?? 0) + span.selfTime);
  return [...sums.entries()].sort((a, b) => b[1] - a[1]);
}

export function breakdown(title, entries, colourOf) {
  const total = entries.reduce((sum, [, value]) => sum + value, 0) || 1;
  return el('div', { class: 'breakdown' },
    el('h3', {}, title, el('span', { class: 'muted' }, ' (self time)')),
    el('div', { class: 'stack' }, entries.map(([name, value]) =>
      el('span', { style: { width: `${(value / total) * 100}%`, background: colourOf(name) }, title: `${name}: ${formatDuration(value)}` }))),
    el('ul', { class: 'legend' }, entries.map(([name, value]) =>
      el('li', {}, el('i', { style: { background: colourOf(name) } }), `${name} ${formatDuration(value)} (${Math.round((value / total) * 100)}%)`))));
}

function drawWaterfall(container, state) {
  const { model } = state;
  const rows = [];
  const visit = (span, depth) => {
    rows.push(spanRow(span, depth, state));
    if (!state.collapsed.has(span.spanID)) for (const child of span.children) visit(child, depth + 1);
  };
  for (const root of model.roots) visit(root, 0);

  const ticks = [0, 0.25, 0.5, 0.75, 1].map(f =>
    el('span', { style: { left: `${f * 100}%` } }, formatDuration(model.total * f)));
  container.replaceChildren(
    el('div', { class: 'waterfall-header' },
      el('div', { class: 'span-label' }, 'Service: operation', el('span', { class: 'legend-critical' }, 'critical path')),
      el('div', { class: 'axis' }, ticks)),
    ...rows);
}

function spanRow(span, depth, state) {
  const { model } = state;
  const left = ((span.startTime - model.start) / model.total) * 100;
  const width = Math.max(0.2, (span.duration / model.total) * 100);
  const critical = (model.critical.get(span.spanID) ?? []).map(segment =>
    el('span', {
      class: 'critical-segment',
      style: { left: `${((segment.start - span.startTime) / Math.max(1, span.duration)) * 100}%`, width: `${((segment.end - segment.start) / Math.max(1, span.duration)) * 100}%` },
    }));
  const toggle = span.children.length
    ? el('button', {
        class: 'toggle', type: 'button', 'aria-label': 'collapse or expand',
        onclick: event => {
          event.stopPropagation();
          if (state.collapsed.has(span.spanID)) state.collapsed.delete(span.spanID); else state.collapsed.add(span.spanID);
          state.redraw();
        },
      }, state.collapsed.has(span.spanID) ? '▸' : '▾')
    : el('span', { class: 'toggle' });

  return el('div', {
      class: ['span-row', span.isError ? 'error' : '', model.critical.has(span.spanID) ? 'on-critical-path' : '', state.selected === span.spanID ? 'selected' : '', state.highlighted?.has(span.spanID) ? 'highlighted' : ''].join(' '),
      'data-span-id': span.spanID,
      'data-service': span.service,
      onclick: () => {
        state.selected = span.spanID;
        showDetails(span, state);
        state.redraw();
      },
    },
    el('div', { class: 'span-label', style: { paddingLeft: `${depth * 14}px` } },
      toggle,
      el('i', { class: 'service-swatch', style: { background: serviceColour(span.service) } }),
      span.isError ? el('span', { class: 'error-mark', title: 'error' }, '!') : null,
      el('span', { class: 'service-name' }, span.service),
      el('span', { class: 'operation-name' }, span.operationName)),
    el('div', { class: 'span-timeline' },
      el('div', { class: 'span-bar', style: { left: `${left}%`, width: `${width}%`, background: serviceColour(span.service) } }, critical),
      durationLabel(span, left, width)));
}

/** After the bar when there is room, else before it, else inside its end. */
function durationLabel(span, left, width) {
  const text = formatDuration(span.duration);
  if (left + width <= 85) return el('span', { class: 'span-duration', style: { left: `${left + width}%` } }, text);
  if (left >= 15) return el('span', { class: 'span-duration before', style: { right: `${100 - left}%` } }, text);
  return el('span', { class: 'span-duration inside', style: { right: `${Math.max(0, 100 - left - width)}%` } }, text);
}

function showDetails(span, state) {
  const tags = span.tags.filter(t => !derivedTags.has(t.key));
  const events = span.logs.map(log => ({ ...log, fields: tagMap(log.fields) }));
  const exceptions = events.filter(e => e.fields.event === 'exception');
  const links = span.references.filter(r => r.refType === 'FOLLOWS_FROM');
  const spanLogs = state.logs.filter(l => l.spanID === span.spanID);
  const status = span.tagsMap['otel.status_code'] ?? 'UNSET';

  state.details.replaceChildren(
    el('h2', {}, span.operationName),
    el('p', {}, serviceChip(span.service), ' ', el('span', { class: `status ${status.toLowerCase()}` }, status),
      span.tagsMap['otel.status_description'] ? el('span', { class: 'muted' }, ` ${span.tagsMap['otel.status_description']}`) : null),
    keyValueTable([
      ['Kind', span.tagsMap['span.kind'] ?? 'unspecified'],
      ['Duration', formatDuration(span.duration)],
      ['Self time', formatDuration(span.selfTime)],
      ['Starts at', `+${formatDuration(span.startTime - state.model.start)}`],
      ['Span id', span.spanID],
      ['Parent', span.parentId ?? 'none (root)'],
      ['Scope', [span.tagsMap['otel.scope.name'], span.tagsMap['otel.scope.version']].filter(Boolean).join(' ') || 'unknown'],
    ]),
    exceptions.length ? el('section', { class: 'exceptions' }, el('h3', {}, 'Exceptions'), exceptions.map(e =>
      el('div', { class: 'exception' },
        el('strong', {}, `${e.fields['exception.type'] ?? 'exception'}: ${e.fields['exception.message'] ?? ''}`),
        e.fields['exception.stacktrace'] ? el('pre', {}, e.fields['exception.stacktrace']) : null))) : null,
    el('h3', {}, `Attributes (${tags.length})`),
    keyValueTable(tags.map(t => [t.key, String(t.value)])),
    el('h3', {}, `Events (${events.length})`),
    events.length ? el('ul', { class: 'events' }, events.map(e => el('li', {},
      el('strong', {}, e.fields.event ?? 'event'), ` +${formatDuration(e.timestamp - span.startTime)}`,
      keyValueTable(Object.entries(e.fields).filter(([k]) => k !== 'event'), '')))) : el('p', { class: 'muted' }, 'none'),
    el('h3', {}, `Links (${links.length})`),
    links.length ? el('ul', {}, links.map(link => el('li', {},
      link.traceID === state.model.trace.traceID
        ? el('a', { href: '#', onclick: event => { event.preventDefault(); const target = state.model.byId.get(link.spanID); if (target) { state.selected = target.spanID; showDetails(target, state); state.redraw(); } } }, `span ${link.spanID}`)
        : el('a', { href: `#/trace/${link.traceID}` }, `trace ${link.traceID} span ${link.spanID}`)))) : el('p', { class: 'muted' }, 'none'),
    el('h3', {}, 'Resource'),
    keyValueTable([['service.name', span.service], ...(span.process?.tags ?? []).map(t => [t.key, String(t.value)])]),
    el('h3', {}, `Logs (${spanLogs.length})`),
    spanLogs.length
      ? el('ul', { class: 'span-logs' }, spanLogs.map(log => el('li', { class: `level-${log.severity}` },
          el('span', { class: 'level' }, log.severity), ` +${formatDuration(Math.max(0, log.timestamp - span.startTime))} `, log.body)))
      : el('p', { class: 'muted' }, 'none'));
}

function traceLogs(state) {
  return state.logs.length ? logTable(state.logs, state) : el('p', { class: 'muted' }, 'No log record carries this trace id.');
}

function logTable(logs, state) {
  return el('table', { class: 'logs' },
    el('tbody', {}, [...logs].sort((a, b) => a.timestamp - b.timestamp).map(log => el('tr', { class: `level-${log.severity}` },
      el('td', { class: 'time' }, `+${formatDuration(Math.max(0, log.timestamp - state.model.start))}`),
      el('td', {}, el('span', { class: 'level' }, log.severity)),
      el('td', {}, serviceChip(log.service)),
      el('td', { class: 'body' }, log.body),
      el('td', {}, log.spanID && state.model.byId.has(log.spanID)
        ? el('a', { href: '#', onclick: event => { event.preventDefault(); const span = state.model.byId.get(log.spanID); state.selected = span.spanID; showDetails(span, state); state.redraw(); } }, 'span')
        : null)))));
}
