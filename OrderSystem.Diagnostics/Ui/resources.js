// Resources: what the AppHost started, with state, health, URLs and each resource's console log.
import { api, apiText, el, errorBox } from './util.js';

export async function renderResources(view) {
  const consoleLog = el('section', { class: 'console', id: 'console-log' });
  const table = el('section', { id: 'resource-list' });
  view.append(el('h1', {}, 'Resources'), table, consoleLog);
  try {
    const resources = await api('/api/resources');
    if (resources.length === 0) {
      table.append(el('p', { class: 'muted' }, 'No resources: the dashboard runs without an AppHost, or the AppHost resource API is not reachable.'));
      return;
    }
    table.append(el('table', { class: 'resources' },
      el('thead', {}, el('tr', {}, ['Name', 'Type', 'State', 'Health', 'URLs', 'Details', ''].map(h => el('th', {}, h)))),
      el('tbody', {}, resources.map(resource => el('tr', {},
        el('td', {}, el('strong', {}, resource.name)),
        el('td', {}, resource.type),
        el('td', {}, el('span', { class: `state state-${resource.state.toLowerCase()}` }, resource.state)),
        el('td', {}, el('span', { class: `health health-${resource.health.toLowerCase()}` }, resource.health)),
        el('td', {}, (resource.urls ?? []).map(url => el('div', {}, el('a', { href: url, target: '_blank', rel: 'noopener' }, url)))),
        el('td', { class: 'muted' }, [
          resource.pid ? `pid ${resource.pid}` : null,
          resource.exitCode !== null && resource.exitCode !== undefined ? `exit code ${resource.exitCode}` : null,
          resource.connectionString ?? null,
        ].filter(Boolean).join(' · ')),
        el('td', {}, el('button', { type: 'button', onclick: () => showConsole(resource.name, consoleLog) }, 'Console log')))))));
  } catch (error) {
    table.append(errorBox(error));
  }
}

async function showConsole(name, target) {
  target.replaceChildren(el('h2', {}, `Console: ${name}`), el('p', { class: 'muted' }, 'Loading…'));
  try {
    const text = await apiText(`/api/resources/${encodeURIComponent(name)}/logs?tail=500`);
    target.replaceChildren(el('h2', {}, `Console: ${name}`), el('pre', {}, text || '(empty)'));
  } catch (error) {
    target.replaceChildren(el('h2', {}, `Console: ${name}`), errorBox(error));
  }
}
