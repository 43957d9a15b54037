// The audit log (GET /audit): newest first, 50 entries a page ("Load more" follows next_cursor),
// filtered by resource and resource id, each change shown as a short before/after diff. The API
// keeps no secrets in before/after (a key shows its display form, a credential its key_id).

import { api, query } from './api.js';
import { $, h, table } from './dom.js';
import { busy } from './feedback.js';
import { state } from './state.js';

const auditPageSize = 50;
const longest = 80;
// Fields every object has, which say nothing about the change.
const quiet = new Set(['id', 'created_at', 'updated_at']);

let entries = [];
let cursor = null;
let filter = {};

const isEmpty = (value) => value === null || value === undefined || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && !Array.isArray(value) && value !== null && Object.keys(value).length === 0);

/** A value as short text: strings as they are, the rest as JSON, cut at `longest` characters (the whole in a tooltip). */
function shortValue(value) {
  const text = value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length <= longest ? h('span', {}, text) : h('span', { title: text }, `${text.slice(0, longest - 1)}…`);
}

/** A field's value; a team or consumer id as the name it has now where that is loaded (the id in the tooltip). */
function fieldValue(name, value) {
  const named = name === 'team_id' ? state.teamsById.get(value) : name === 'consumer_id' ? state.consumersById.get(value) : undefined;
  return named ? h('span', { title: value }, named.name) : shortValue(value);
}

/** What changed: every field of an update that differs; the set fields of a create or a delete. */
function diff(entry) {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const lines = [];
  if (entry.action === 'update') {
    for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (quiet.has(name) || JSON.stringify(before[name]) === JSON.stringify(after[name])) continue;
      lines.push(h('li', {}, h('code', {}, name), ': ', h('del', {}, fieldValue(name, before[name])), ' → ', h('ins', {}, fieldValue(name, after[name]))));
    }
  } else {
    const shown = entry.action === 'create' ? after : before;
    for (const [name, value] of Object.entries(shown)) {
      if (quiet.has(name) || isEmpty(value)) continue;
      const node = fieldValue(name, value);
      lines.push(h('li', {}, h('code', {}, name), ': ', entry.action === 'delete' ? h('del', {}, node) : node));
    }
  }
  return lines.length === 0 ? h('span', { class: 'empty' }, 'no field changed') : h('ul', { class: 'diff' }, lines);
}

/** The object's name where the entry or the loaded lists know it, beside its id. */
function objectLabel(entry) {
  const name = entry.after?.name ?? entry.before?.name ?? entry.after?.display ?? entry.before?.display;
  return name ? [h('span', {}, String(name)), ' ', h('code', {}, entry.resource_id)] : h('code', {}, entry.resource_id);
}

const formatSecond = (value) => (Number.isNaN(Date.parse(value)) ? String(value) : `${new Date(value).toISOString().slice(0, 19).replace('T', ' ')} UTC`);

function render() {
  $('audit-list').replaceChildren(
    table('Audit log', [
      { label: 'When', class: 'nowrap', value: (entry) => formatSecond(entry.at) },
      { label: 'Actor', value: (entry) => entry.actor },
      { label: 'Action', value: (entry) => entry.action },
      { label: 'Resource', value: (entry) => entry.resource },
      { label: 'Object', value: objectLabel },
      { label: 'Change', value: diff },
    ], entries, { empty: 'No changes recorded for this filter.', rowProperties: (entry) => ({ 'data-audit': entry.id }) }),
  );
  $('audit-more').hidden = cursor === null;
  $('audit-shown').textContent = entries.length === 0 ? '' : `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} shown, newest first${cursor === null ? '' : '; more are older'}.`;
}

// Loads can overlap (a save reloads the log while "Show its audit log" asks for one object's):
// only the answer to the latest one is shown, so an older, slower answer never replaces it.
let latestLoad = 0;

async function loadPage(after) {
  const load = ++latestLoad;
  const page = await api('GET', `/audit${query({ limit: auditPageSize, after, ...filter })}`);
  if (load !== latestLoad) return;
  entries = after ? [...entries, ...page.data] : page.data;
  cursor = page.next_cursor;
  render();
}

/** The first page with the current filter (after a change the dashboard made, too). */
export const loadAudit = () => loadPage(null);

/** Nothing shown (after signing out); the filter emptied. */
export function clearAudit() {
  latestLoad++;
  entries = [];
  cursor = null;
  filter = {};
  $('audit-filter').reset();
  $('audit-list').replaceChildren();
  $('audit-shown').textContent = '';
  $('audit-more').hidden = true;
}

/** A team or consumer may be named; the API filters on the id. */
function resourceId(resource, text) {
  if (text === '') return undefined;
  const byName = (items) => items.find((item) => item.name === text)?.id;
  if (resource === 'teams') return byName(state.teams) ?? text;
  if (resource === 'consumers') return byName(state.consumers) ?? text;
  return text;
}

function applyFilter() {
  const resource = $('audit-resource').value;
  filter = { resource: resource === '' ? undefined : resource, resource_id: resourceId(resource, $('audit-resource-id').value.trim()) };
  // Entries of the previous filter are not shown as this one's while it loads.
  entries = [];
  cursor = null;
  $('audit-list').replaceChildren();
  $('audit-shown').textContent = '';
  $('audit-more').hidden = true;
  return loadAudit();
}

/** Shows one object's history (the key editor's "Show its audit log"). */
export function showAuditFor(resource, id) {
  $('audit-resource').value = resource;
  $('audit-resource-id').value = id;
  busy(null, async () => {
    await applyFilter();
    $('audit').scrollIntoView({ block: 'start' });
    $('audit-title').focus();
  });
}

export function startAudit() {
  $('audit-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.submitter, applyFilter);
  });
  $('audit-more').addEventListener('click', (event) => busy(event.currentTarget, () => loadPage(cursor)));
}
