// Virtual keys: the list (newest first), create (the secret shown once), disable, enable, revoke;
// "Edit" opens the key's detail form (key-editor.js).

import { api, maxListed } from './api.js';
import { $, h, table } from './dom.js';
import { busy, showError } from './feedback.js';
import { formatCount, formatTime, keyStatus, orNone, parseList } from './format.js';
import { openKeyEditor } from './key-editor.js';
import { changed, consumerName, state, teamName } from './state.js';

export const keyLabel = (key) => `${key.name ?? 'unnamed'} (${key.display})`;

/** "2 rules, $50/month" or "—": what limits a key carries, in short. */
function limitSummary(key) {
  const rules = Array.isArray(key.limits) ? key.limits.length : key.limits ? Object.keys(key.limits).length : 0;
  const parts = [];
  if (rules > 0) parts.push(`${rules} limit${rules === 1 ? '' : 's'}`);
  if (key.budget) parts.push(`$${key.budget.max_usd}/${key.budget.period ?? 'month'}`);
  return parts.length === 0 ? '—' : parts.join(', ');
}

async function setEnabled(key, enabled) {
  await api('PATCH', `/keys/${encodeURIComponent(key.id)}`, { enabled });
  await changed();
}

async function revoke(key) {
  if (!window.confirm(`Revoke key ${key.name ?? ''} ${key.display}? Clients using it are refused at once; this cannot be undone.`)) return;
  await api('DELETE', `/keys/${encodeURIComponent(key.id)}`);
  await changed();
}

function actions(key) {
  const edit = h('button', { type: 'button', class: 'secondary', 'aria-label': `${state.readOnly ? 'Details of' : 'Edit'} key ${keyLabel(key)}`, onclick: () => openKeyEditor(key.id) }, state.readOnly ? 'Details' : 'Edit');
  if (state.readOnly) return h('div', { class: 'actions' }, edit);
  return h(
    'div',
    { class: 'actions' },
    edit,
    h('button', { type: 'button', class: 'secondary', 'aria-label': `${key.enabled ? 'Disable' : 'Enable'} key ${keyLabel(key)}`, onclick: (event) => busy(event.currentTarget, () => setEnabled(key, !key.enabled)) }, key.enabled ? 'Disable' : 'Enable'),
    h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke key ${keyLabel(key)}`, onclick: (event) => busy(event.currentTarget, () => revoke(key)) }, 'Revoke'),
  );
}

export function renderKeys() {
  const select = $('key-consumer');
  const chosen = select.value;
  const byName = [...state.consumers].sort((one, other) => one.name.localeCompare(other.name));
  select.replaceChildren(...(byName.length === 0 ? [h('option', { value: '', disabled: true, selected: true }, 'Add a consumer first')] : byName.map((consumer) => h('option', { value: consumer.id }, consumer.name))));
  if (chosen && state.consumersById.has(chosen)) select.value = chosen;

  // Newest first: the key just made, or a recent one to revoke now, is at the top.
  $('key-list').replaceChildren(
    table('Keys', [
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
    ], [...state.keys].reverse(), { rowProperties: (key) => ({ 'data-key': key.id }) }),
  );
  for (const what of state.incomplete) {
    $('key-list').append(h('p', { class: 'empty' }, `Showing the oldest ${formatCount(maxListed)} ${what} only; use the Admin API or \`tollgate ${what} list\` for the rest.`));
  }
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
  const created = await api('POST', '/keys', body);
  form.reset();
  showSecret(created.key);
  await changed();
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
  $('dismiss-secret').addEventListener('click', hideSecret);
}
