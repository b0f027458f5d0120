// Structured logs: filter by service, level, text and trace id; a record with a trace id links to its trace.
import { api, el, errorBox, formatTime, hashParams, serviceChip } from './util.js';

const levels = ['', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export async function renderLogs(view) {
  const params = hashParams();
  const service = el('select', { name: 'service' }, el('option', { value: '' }, 'All services'));
  const form = el('form', { class: 'search', id: 'log-search' },
    el('label', { class: 'field' }, el('span', {}, 'Service'), service),
    el('label', { class: 'field' }, el('span', {}, 'Level at least'), el('select', { name: 'level' },
      levels.map(level => el('option', { value: level, selected: (params.get('level') ?? '') === level }, level || 'any')))),
    el('label', { class: 'field' }, el('span', {}, 'Text'), el('input', { name: 'q', value: params.get('q') ?? '', placeholder: 'contains…' })),
    el('label', { class: 'field' }, el('span', {}, 'Trace id'), el('input', { name: 'traceId', value: params.get('traceId') ?? '', size: 34 })),
    el('label', { class: 'field' }, el('span', {}, 'Limit'), el('select', { name: 'limit' },
      ['200', '500', '1000'].map(value => el('option', { value, selected: (params.get('limit') ?? '200') === value }, value)))),
    el('button', { type: 'submit' }, 'Show logs'));
  const results = el('section', { id: 'log-results' });
  view.append(el('h1', {}, 'Logs'), form, results);

  form.addEventListener('submit', event => {
    event.preventDefault();
    const query = new URLSearchParams([...new FormData(form)].filter(([, value]) => value !== ''));
    location.hash = `#/logs?${query}`;
  });

  try {
    const services = (await api('/api/services')).data;
    service.append(...services.map(name => el('option', { value: name, selected: params.get('service') === name }, name)));
    const query = new URLSearchParams([...params].filter(([name]) => ['service', 'level', 'q', 'traceId', 'limit'].includes(name)));
    const logs = (await api(`/api/logs?${query}`)).data;
    results.append(logs.length === 0
      ? el('p', { class: 'muted' }, 'No log record matches.')
      : el('table', { class: 'logs' },
          el('thead', {}, el('tr', {}, ['Time', 'Level', 'Service', 'Message', 'Trace'].map(h => el('th', {}, h)))),
          el('tbody', {}, logs.map(log => el('tr', { class: `level-${log.severity}` },
            el('td', { class: 'time' }, formatTime(log.timestamp)),
            el('td', {}, el('span', { class: 'level' }, log.severity)),
            el('td', {}, serviceChip(log.service)),
            el('td', { class: 'body', title: log.attributes.map(a => `${a.key}=${a.value}`).join('\n') }, log.body),
            el('td', {}, log.traceID ? el('a', { href: `#/trace/${log.traceID}` }, log.traceID.slice(0, 12)) : null))))));
  } catch (error) {
    results.append(errorBox(error));
  }
}
