// Virtual keys: the list (newest first, 100 rows at a time, narrowed by the Find box), create (the
// secret shown once), disable, enable, revoke; "Edit" opens the key's detail form (key-editor.js).

import { api, maxListed } from './api.js';
import { $, byData, focusFirst, h, table } from './dom.js';
import { busy, showError } from './feedback.js';
import { formatCount, formatTime, keyStatus, orNone, parseList } from './format.js';
import { openKeyEditor } from './key-editor.js';
import { changed, consumerName, state, teamName } from './state.js';

export const keyLabel = (key) => `${key.name ?? 'unnamed'} (${key.display})`;

// Thousands of rows cost the page seconds and the keyboard thousands of tab stops: the list shows
// this many, "Show more" the next as many, and the Find box narrows it.
const keysPerStep = 100;
let mostShown = keysPerStep;

/** "2 rules, $50/month" or "—": what limits a key carries, in short. */
function limitSummary(key) {
  const rules = Array.isArray(key.limits) ? key.limits.length : key.limits ? Object.keys(key.limits).length : 0;
  const parts = [];
  if (rules > 0) parts.push(`${rules} limit${rules === 1 ? '' : 's'}`);
  if (key.budget) parts.push(`$${key.budget.max_usd}/${key.budget.period ?? 'month'}`);
  return parts.length === 0 ? '—' : parts.join(', ');
}

async function setEnabled(key, enabled) {
  const item = await api('PATCH', `/keys/${encodeURIComponent(key.id)}`, { enabled });
  // Focus goes back to the same row's button (now saying the opposite), not to the top of the page.
  await changed({ resource: 'keys', item, focus: [`${byData('key', key.id)} [data-action="toggle"]`, 'key-filter'] });
}

async function revoke(key) {
  if (!window.confirm(`Revoke key ${key.name ?? ''} ${key.display}? Clients using it are refused at once; this cannot be undone.`)) return;
  await api('DELETE', `/keys/${encodeURIComponent(key.id)}`);
  await changed({ resource: 'keys', deleted: key.id, focus: ['key-filter'] });
}

function actions(key) {
  const edit = h('button', { type: 'button', class: 'secondary', 'data-action': 'edit', 'aria-label': `${state.readOnly ? 'Details of' : 'Edit'} key ${keyLabel(key)}`, onclick: () => openKeyEditor(key.id) }, state.readOnly ? 'Details' : 'Edit');
  if (state.readOnly) return h('div', { class: 'actions' }, edit);
  return h(
    'div',
    { class: 'actions' },
    edit,
    h('button', { type: 'button', class: 'secondary', 'data-action': 'toggle', 'aria-label': `${key.enabled ? 'Disable' : 'Enable'} key ${keyLabel(key)}`, onclick: (event) => busy(event.currentTarget, () => setEnabled(key, !key.enabled)) }, key.enabled ? 'Disable' : 'Enable'),
    h('button', { type: 'button', class: 'danger', 'data-action': 'revoke', 'aria-label': `Revoke key ${keyLabel(key)}`, onclick: (event) => busy(event.currentTarget, () => revoke(key)) }, 'Revoke'),
  );
}

const columns = [
  { label: 'Name', value: (key) => orNone(key.name) },
  { label: 'Key', value: (key) => h('code', {}, key.display) },
  { label: 'Consumer', value: (key) => consumerName(key.consumer_id) },
  { label: 'Team', value: (key) => teamName(key.team_id) },
  { label: 'Models', value: (key) => (key.models.length === 0 ? 'any' : key.models.join(', ')) },
  { label: 'Limits', value: limitSummary },
  { label: 'Status', value: keyStatus },
  { label: 'Expires', value: (key) => formatTime(key.expires_at) },
  { label: 'Last used', value: (key) => formatTime(key.last_used_at) },
  { label: 'Actions', value: actions },
];

/** The keys the Find box lets through (its text in the name, the key's prefix, the id, the consumer or the team), newest first. */
function matchingKeys() {
  const text = $('key-filter').value.trim().toLowerCase();
  const matching = [];
  // Newest first: the key just made, or a recent one to revoke now, is at the top.
  for (let index = state.keys.length - 1; index >= 0; index--) {
    const key = state.keys[index];
    if (text === '' || [key.name ?? '', key.display, key.id, consumerName(key.consumer_id), key.team_id === null ? '' : teamName(key.team_id)].some((field) => field.toLowerCase().includes(text))) matching.push(key);
  }
  return matching;
}

let consumersShownVersion = -1;

/** The consumers of "Create a key", rebuilt only when they changed (thousands of options are not free). */
function fillConsumerSelect() {
  if (consumersShownVersion === state.consumersVersion) return;
  consumersShownVersion = state.consumersVersion;
  const select = $('key-consumer');
  const chosen = select.value;
  const byName = [...state.consumers].sort((one, other) => one.name.localeCompare(other.name));
  select.replaceChildren(...(byName.length === 0 ? [h('option', { value: '', disabled: true, selected: true }, 'Add a consumer first')] : byName.map((consumer) => h('option', { value: consumer.id }, consumer.name))));
  if (chosen && state.consumersById.has(chosen)) select.value = chosen;
}

export function renderKeys() {
  fillConsumerSelect();
  const matching = matchingKeys();
  const shown = matching.slice(0, mostShown);
  $('key-list').replaceChildren(table('Keys', columns, shown, { empty: state.keys.length === 0 ? 'No keys yet.' : 'No key matches.', rowProperties: (key) => ({ 'data-key': key.id }) }));
  for (const what of state.incomplete) {
    $('key-list').append(h('p', { class: 'empty' }, `Showing the oldest ${formatCount(maxListed)} ${what} only; use the Admin API or \`tollgate ${what} list\` for the rest.`));
  }
  const of = matching.length === state.keys.length ? `${formatCount(matching.length)} keys` : `${formatCount(matching.length)} of ${formatCount(state.keys.length)} keys`;
  $('key-count').textContent = shown.length === matching.length ? of : `${of}; the newest ${formatCount(shown.length)} shown, type in Find to narrow them`;
  const more = $('key-more');
  more.hidden = shown.length === matching.length;
  more.textContent = `Show ${formatCount(Math.min(keysPerStep, matching.length - shown.length))} more`;
}

function showMore() {
  const firstNew = mostShown;
  mostShown += keysPerStep;
  renderKeys();
  // The keyboard goes on from the first row just shown.
  focusFirst($('key-list').querySelectorAll('tbody tr')[firstNew]?.querySelector('button'), 'key-more');
}

/** Nothing listed (after signing out); the Find box emptied. */
export function clearKeys() {
  $('key-filter').value = '';
  mostShown = keysPerStep;
  consumersShownVersion = -1;
  $('key-consumer').replaceChildren();
  $('key-list').replaceChildren();
  $('key-count').textContent = '';
  $('key-more').hidden = true;
  hideSecret();
}

function showSecret(secret) {
  $('new-secret-value').textContent = secret;
  $('new-secret').hidden = false;
  $('copy-secret').focus();
}

export function hideSecret() {
  $('new-secret-value').textContent = '';
  $('new-secret').hidden = true;
}

async function createKey(form) {
  const data = new FormData(form);
  const body = { consumer: String(data.get('consumer') ?? '') };
  const name = String(data.get('name') ?? '').trim();
  if (name !== '') body.name = name;
  const models = parseList(data.get('models'));
  if (models.length > 0) body.models = models;
  const { key: secret, ...item } = await api('POST', '/keys', body);
  form.reset();
  // Shown before anything else can fail: the secret is never available again.
  showSecret(secret);
  await changed({ resource: 'keys', item });
}

export function startKeys() {
  $('create-key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    busy(event.submitter, () => createKey(form));
  });
  $('copy-secret').addEventListener('click', () => {
    navigator.clipboard?.writeText($('new-secret-value').textContent ?? '').catch(() => showError('Copying failed: select the key and copy it by hand.'));
  });
  $('dismiss-secret').addEventListener('click', () => {
    hideSecret();
    focusFirst('key-name');
  });
  $('key-filter').addEventListener('input', () => {
    mostShown = keysPerStep;
    renderKeys();
  });
  $('key-more').addEventListener('click', showMore);
}
