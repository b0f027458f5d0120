// Shared helpers: API calls, formatting, service colours and small DOM builders.

export async function api(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body?.errors?.[0]?.msg ?? body?.detail ?? `${response.status} ${response.statusText}`;
    throw new Error(message);
  }
  return body;
}

export async function apiText(path) {
  const response = await fetch(path);
  if (!response.ok) {
    throw new Error(`${response.status} ${response.statusText}`);
  }
  return response.text();
}

/** Formats microseconds the way people read latencies: 850µs, 12.4ms, 3.21s, 2m 5s. */
export function formatDuration(micros) {
  if (micros < 1000) return `${Math.round(micros)}µs`;
  if (micros < 1_000_000) return `${(micros / 1000).toFixed(micros < 10_000 ? 2 : 1)}ms`;
  if (micros < 60_000_000) return `${(micros / 1_000_000).toFixed(2)}s`;
  const seconds = Math.round(micros / 1_000_000);
  return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

export function formatTime(micros) {
  const date = new Date(micros / 1000);
  return date.toLocaleString(undefined, { hour12: false }) + '.' + String(date.getMilliseconds()).padStart(3, '0');
}

export function formatAgo(micros) {
  const seconds = Math.max(0, (Date.now() - micros / 1000) / 1000);
  if (seconds < 60) return `${Math.round(seconds)}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86400)}d ago`;
}

// Well-separated hues; a service keeps its colour on every page because it is picked by a hash of its name.
const palette = ['#4263eb', '#e8590c', '#2b8a3e', '#ae3ec9', '#0c8599', '#d6336c', '#f08c00', '#1971c2', '#5c940d', '#862e9c', '#c2255c', '#495057'];

/** A stable colour per service name (FNV-1a hash into the palette). */
export function serviceColour(service) {
  let hash = 0x811c9dc5;
  for (const ch of service) hash = Math.imul(hash ^ ch.codePointAt(0), 0x01000193) >>> 0;
  return palette[hash % palette.length];
}

/** Creates an element: el('a', { href: '#', class: 'x', onclick: f }, 'text', child). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'style' && typeof value === 'object') {
      for (const [property, setting] of Object.entries(value)) {
        if (property.startsWith('--')) element.style.setProperty(property, setting);
        else element.style[property] = setting;
      }
    }
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function serviceChip(service) {
  return el('span', { class: 'chip', style: { '--service': serviceColour(service) } }, service);
}

export function errorBox(error) {
  return el('div', { class: 'error-box', role: 'alert' }, `Could not load: ${error.message}`);
}

/** Reads the query part of the location hash (#/page?x=1) as URLSearchParams. */
export function hashParams() {
  const hash = location.hash;
  const index = hash.indexOf('?');
  return new URLSearchParams(index < 0 ? '' : hash.slice(index + 1));
}

/** Jaeger tags as a { key: value } object. */
export function tagMap(tags) {
  return Object.fromEntries((tags ?? []).map(t => [t.key, t.value]));
}

export function keyValueTable(entries, emptyText = 'none') {
  if (entries.length === 0) return el('p', { class: 'muted' }, emptyText);
  return el('table', { class: 'kv' },
    el('tbody', {}, entries.map(([key, value]) => el('tr', {},
      el('th', {}, key),
      el('td', {}, typeof value === 'string' ? value : JSON.stringify(value))))));
}
