// Faults: the run-time fault switches (docs/scenarios.md), each with a toggle that flips it for every service.
import { api, el, errorBox, serviceChip } from './util.js';

export async function renderFaults(view) {
  const list = el('section', { id: 'fault-list' });
  view.append(
    el('h1', {}, 'Faults'),
    el('p', { class: 'muted' }, 'Switched on, a fault acts within a second in its service and marks the spans where it acted with the event fault.injected.'),
    list,
    el('h2', {}, 'Actions'),
    flushInventoryCache());
  try {
    const faults = await api('/api/faults');
    list.append(el('table', { class: 'resources' },
      el('thead', {}, el('tr', {}, ['Fault', 'Service', 'What it does', 'On'].map(h => el('th', {}, h)))),
      el('tbody', {}, faults.map(fault => el('tr', {},
        el('td', {}, el('strong', {}, fault.name)),
        el('td', {}, serviceChip(fault.service)),
        el('td', {}, fault.description),
        el('td', {}, toggle(fault)))))));
  } catch (error) {
    list.append(errorBox(error));
  }
}

function toggle(fault) {
  const box = el('input', { type: 'checkbox', 'aria-label': `Switch ${fault.name}`, checked: fault.enabled });
  box.addEventListener('change', async () => {
    box.disabled = true;
    try {
      const response = await fetch(`/api/faults/${encodeURIComponent(fault.name)}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ enabled: box.checked, parameters: fault.parameters }),
      });
      if (!response.ok) {
        const problem = await response.json().catch(() => null);
        throw new Error(problem?.detail ?? `${response.status} ${response.statusText}`);
      }
    } catch (error) {
      box.checked = !box.checked;
      box.after(errorBox(error));
    } finally {
      box.disabled = false;
    }
  });
  return box;
}

// Empties Inventory's stock cache (its keys only, never the whole Redis), so the next checks miss and read PostgreSQL.
function flushInventoryCache() {
  const result = el('span', { class: 'muted', role: 'status' });
  const button = el('button', { type: 'button' }, 'Flush Inventory cache');
  button.addEventListener('click', async () => {
    button.disabled = true;
    result.textContent = '';
    result.nextElementSibling?.remove();
    try {
      const response = await fetch('/api/faults/actions/flush-inventory-cache', { method: 'POST', headers: { Accept: 'application/json' } });
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        throw new Error(body?.detail ?? `${response.status} ${response.statusText}`);
      }
      result.textContent = ` Deleted ${body.deleted} cache ${body.deleted === 1 ? 'entry' : 'entries'} (${body.pattern}).`;
    } catch (error) {
      result.after(errorBox(error));
    } finally {
      button.disabled = false;
    }
  });
  return el('div', { id: 'fault-actions' }, button, result);
}
