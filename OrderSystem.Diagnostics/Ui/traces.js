// Traces page: a search form (kept in the URL, so back and reload keep it) and the matching traces.
import { api, el, errorBox, formatAgo, formatDuration, formatTime, hashParams, serviceChip, serviceColour } from './util.js';

const ranges = [['5m', 'Last 5 minutes'], ['15m', 'Last 15 minutes'], ['1h', 'Last hour'], ['6h', 'Last 6 hours'], ['24h', 'Last 24 hours'], ['', 'All stored']];
const limits = ['20', '50', '100', '500'];

export async function renderTraces(view) {
  const params = hashParams();
  const form = el('form', { class: 'search', id: 'trace-search' });
  const service = el('select', { name: 'service', id: 'search-service' }, el('option', { value: '' }, 'All services'));
  const operation = el('select', { name: 'operation', id: 'search-operation' }, el('option', { value: '' }, 'All operations'));
  const results = el('section', { class: 'results', id: 'trace-results' });

  form.append(
    field('Service', service),
    field('Operation', operation),
    field('Tags', el('input', { name: 'tags', id: 'search-tags', placeholder: 'http.response.status_code=500 order.id=42', value: params.get('tags') ?? '' })),
    field('Min duration', el('input', { name: 'minDuration', placeholder: '100ms', size: 7, value: params.get('minDuration') ?? '' })),
    field('Max duration', el('input', { name: 'maxDuration', placeholder: '2s', size: 7, value: params.get('maxDuration') ?? '' })),
    field('Time range', el('select', { name: 'lookback' }, ranges.map(([value, label]) =>
      el('option', { value, selected: (params.get('lookback') ?? '1h') === value }, label)))),
    field('Limit', el('select', { name: 'limit' }, limits.map(value => el('option', { value, selected: (params.get('limit') ?? '20') === value }, value)))),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'errors', checked: params.get('errors') === 'true' }), 'Errors only'),
    el('button', { type: 'submit', id: 'search-button' }, 'Find traces'));
  view.append(el('h1', {}, 'Traces'), form, results);

  try {
    const services = (await api('/api/services')).data;
    service.append(...services.map(name => el('option', { value: name, selected: params.get('service') === name }, name)));
    await loadOperations(service.value, operation, params.get('operation'));
  } catch (error) {
    results.append(errorBox(error));
  }

  service.addEventListener('change', () => loadOperations(service.value, operation, null));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (value !== '') query.set(name, name === 'errors' ? 'true' : value);
    }
    const target = `#/traces?${query}`;
    if (location.hash === target) search(results, query);
    else location.hash = target;
  });

  await search(results, params);
}

export function field(label, input) {
  return el('label', { class: 'field' }, el('span', {}, label), input);
}

export async function loadOperations(service, select, selected) {
  select.replaceChildren(el('option', { value: '' }, 'All operations'));
  if (!service) return;
  const operations = (await api(`/api/services/${encodeURIComponent(service)}/operations`)).data;
  select.append(...operations.map(name => el('option', { value: name, selected: selected === name }, name)));
}

/** Turns "k=v k2=v2" into Jaeger's JSON tags parameter. */
function tagsJson(text) {
  const tags = {};
  for (const pair of text.trim().split(/\s+/).filter(Boolean)) {
    const index = pair.indexOf('=');
    if (index > 0) tags[pair.slice(0, index)] = pair.slice(index + 1);
  }
  return Object.keys(tags).length ? JSON.stringify(tags) : '';
}

async function search(results, params) {
  const query = new URLSearchParams();
  for (const name of ['service', 'operation', 'minDuration', 'maxDuration', 'limit', 'errors']) {
    if (params.get(name)) query.set(name, params.get(name));
  }
  const lookback = params.has('lookback') ? params.get('lookback') : '1h';
  if (lookback) query.set('lookback', lookback);
  const tags = tagsJson(params.get('tags') ?? '');
  if (tags) query.set('tags', tags);

  results.replaceChildren(el('p', { class: 'muted' }, 'Searching…'));
  try {
    const traces = (await api(`/api/trace-summaries?${query}`)).data;
    results.replaceChildren(traceList(traces));
  } catch (error) {
    results.replaceChildren(errorBox(error));
  }
}

function traceList(traces) {
  if (traces.length === 0) {
    return el('p', { class: 'muted' }, 'No trace matches. Widen the time range or remove a filter.');
  }
  const longest = Math.max(...traces.map(t => t.duration), 1);
  return el('div', {},
    el('p', { class: 'muted' }, `${traces.length} trace${traces.length === 1 ? '' : 's'}, most recent first`),
    el('ol', { class: 'trace-list' }, traces.map(trace => el('li', {},
      el('a', { class: `trace-row${trace.errorCount ? ' has-error' : ''}`, href: `#/trace/${trace.traceID}`, 'data-trace-id': trace.traceID },
        el('div', { class: 'trace-title' },
          trace.errorCount ? el('span', { class: 'error-mark', title: `${trace.errorCount} span(s) in error` }, '!') : null,
          el('strong', {}, `${trace.rootService}: ${trace.rootOperation}`),
          el('code', { class: 'muted' }, trace.traceID.slice(0, 12))),
        el('div', { class: 'trace-bar' },
          el('span', { style: { width: `${Math.max(0.5, (trace.duration / longest) * 100)}%`, background: serviceColour(trace.rootService) } })),
        el('div', { class: 'trace-meta' },
          el('span', { class: 'duration' }, formatDuration(trace.duration)),
          el('span', {}, `${trace.spanCount} span${trace.spanCount === 1 ? '' : 's'}`),
          trace.errorCount ? el('span', { class: 'errors' }, `${trace.errorCount} error${trace.errorCount === 1 ? '' : 's'}`) : null,
          el('span', { title: formatTime(trace.startTime) }, formatAgo(trace.startTime))),
        el('div', { class: 'trace-services' }, trace.services.map(s => el('span', {}, serviceChip(s.service), ` ${s.spanCount}`))))))));
}
