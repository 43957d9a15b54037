// A key's detail form: what PATCH /keys/{id} may change (name, team, models, client IPs, limits,
// budget, expiry, metadata, enabled). Only the fields the operator changed are sent, so a key
// stored in an older shape (shorthand limits, a legacy period) is rewritten only when touched.
// Metadata is edited as JSON, which holds any string the API accepts exactly. The API validates
// the rest; its 400 message is shown in the form and the field it names is marked.

import { ApiError, api } from './api.js';
import { showAuditFor } from './audit.js';
import { $, byData, focusFirst, h, select } from './dom.js';
import { busy, markControl, reportIn, unmarkControl } from './feedback.js';
import { formatTime, keyStatus, metadataText, orNone, parseList, parseMetadata, sameMetadata } from './format.js';
import { changed, consumerName, state, teamName } from './state.js';

const units = [['requests', 'requests'], ['tokens', 'tokens'], ['input_tokens', 'input tokens'], ['output_tokens', 'output tokens'], ['cost_usd', 'USD (cost)'], ['concurrent', 'requests in flight']];
const periods = [['second', 'second'], ['minute', 'minute'], ['hour', 'hour'], ['day', 'day'], ['month', 'month']];
const scopes = [['key', 'this key'], ['consumer', 'its consumer'], ['team', 'its team']];
const modes = [['hard', 'refuse (429)'], ['soft', 'log only']];
const shorthand = { rps: ['requests', 'second'], rpm: ['requests', 'minute'], rph: ['requests', 'hour'], rpd: ['requests', 'day'], tps: ['tokens', 'second'], tpm: ['tokens', 'minute'], tph: ['tokens', 'hour'], tpd: ['tokens', 'day'] };

/** The key's stored limits (a list, or the shorthand record) as editable rows. */
function limitRows(limits) {
  if (Array.isArray(limits)) {
    return limits.map((entry) => {
      const unit = units.find(([name]) => entry[name] !== undefined)?.[0] ?? 'requests';
      return { amount: entry[unit] ?? '', unit, per: entry.per ?? '', scope: entry.scope ?? 'key', mode: entry.mode ?? 'hard' };
    });
  }
  // The shorthand names the rate-limit plugin knows (identity/caller-limits.ts); it skips any other.
  return Object.entries(limits ?? {}).flatMap(([name, amount]) => {
    const [unit, per] = shorthand[name] ?? (name === 'concurrent' || name === 'max_parallel_requests' ? ['concurrent', ''] : []);
    return unit === undefined ? [] : [{ amount, unit, per, scope: 'key', mode: 'hard' }];
  });
}

/** Options with a stored value the form does not know (a legacy period) kept, so opening a key changes nothing. */
const withValue = (options, value) => (value === '' || options.some(([name]) => name === value) ? options : [...options, [value, value]]);

// The key on show, the form's values when it opened (what "changed" is measured against) and the
// metadata's text then; null when closed.
let editing = null;

function limitRow(row) {
  const item = h('li', { class: 'limit' });
  item.append(
    h('input', { type: 'number', step: 'any', value: row.amount, 'data-field': 'amount' }),
    select({ 'data-field': 'unit' }, units, row.unit),
    h('span', {}, 'per'),
    select({ 'data-field': 'per' }, withValue([['', '— (in flight only)'], ...periods], row.per), row.per),
    select({ 'data-field': 'scope' }, withValue(scopes, row.scope), row.scope),
    select({ 'data-field': 'mode' }, withValue(modes, row.mode), row.mode),
  );
  if (!state.readOnly) {
    item.append(h('button', { type: 'button', class: 'danger', 'data-field': 'remove', onclick: () => {
      item.remove();
      numberLimitRows();
    } }, 'Remove'));
  }
  return item;
}

/** Each row's controls say which limit they belong to (for screen readers and for the tests). */
function numberLimitRows() {
  const rows = [...$('key-edit-limits').children];
  rows.forEach((row, index) => {
    const name = `Limit ${index + 1}`;
    for (const [field, label] of [['amount', 'amount'], ['unit', 'unit'], ['per', 'period'], ['scope', 'counted for'], ['mode', 'when over']]) row.querySelector(`[data-field="${field}"]`).setAttribute('aria-label', `${name} ${label}`);
    row.querySelector('[data-field="remove"]')?.setAttribute('aria-label', `Remove limit ${index + 1}`);
  });
  $('key-edit-no-limits').hidden = rows.length > 0;
}

/** The form's values as PATCH fields, and the rows each sent limit came from. */
function readForm() {
  const value = (id) => $(id).value.trim();
  const sentRows = [];
  const limits = [];
  for (const row of $('key-edit-limits').children) {
    const field = (name) => row.querySelector(`[data-field="${name}"]`).value;
    if (field('amount').trim() === '') continue; // a row with no amount is no limit
    const limit = { [field('unit')]: Number(field('amount')) };
    if (field('per') !== '') limit.per = field('per');
    if (field('scope') !== 'key') limit.scope = field('scope');
    if (field('mode') !== 'hard') limit.mode = field('mode');
    limits.push(limit);
    sentRows.push(row);
  }
  const expiry = value('key-edit-expires');
  return {
    fields: {
      name: value('key-edit-name') === '' ? null : value('key-edit-name'),
      team: value('key-edit-team') === '' ? null : value('key-edit-team'),
      models: parseList(value('key-edit-models')),
      ips: parseList(value('key-edit-ips')),
      limits: limits.length === 0 ? null : limits,
      budget: value('key-edit-budget') === '' ? null : { max_usd: Number(value('key-edit-budget')), period: value('key-edit-budget-period') },
      // The field is read as UTC (its label says so): "2027-01-01T00:00" -> "2027-01-01T00:00:00Z".
      expires_at: expiry === '' ? null : `${expiry}${expiry.length === 16 ? ':00' : ''}Z`,
      enabled: $('key-edit-enabled').checked,
    },
    sentRows,
  };
}

/** Only what differs from the values the form opened with; metadata that does not parse throws an InputError. */
function changes() {
  const { fields, sentRows } = readForm();
  const patch = {};
  for (const [name, value] of Object.entries(fields)) if (JSON.stringify(value) !== JSON.stringify(editing.initial[name])) patch[name] = value;
  // Untouched metadata is not even parsed; edited metadata is sent only if its entries differ.
  const text = $('key-edit-metadata').value;
  if (text !== editing.metadataText) {
    const metadata = parseMetadata(text, { what: 'Metadata', control: 'key-edit-metadata' });
    if (!sameMetadata(metadata, editing.key.metadata)) patch.metadata = metadata;
  }
  return { patch, sentRows };
}

/** The control an API `param` names (`limits[0].per`, `budget.max_usd`, `expires_at`...). */
function controlFor(param, sentRows) {
  if (!param) return null;
  const limit = /^limits\[(\d+)\](?:\.(\w+))?/.exec(param);
  if (limit) {
    const row = sentRows[Number(limit[1])];
    return row?.querySelector(`[data-field="${['per', 'scope', 'mode'].includes(limit[2]) ? limit[2] : 'amount'}"]`) ?? $('key-edit-limits-group');
  }
  if (param.startsWith('budget')) return $(param.endsWith('period') ? 'key-edit-budget-period' : 'key-edit-budget');
  const ids = { name: 'key-edit-name', team: 'key-edit-team', models: 'key-edit-models', ips: 'key-edit-ips', limits: 'key-edit-limits-group', expires_at: 'key-edit-expires', metadata: 'key-edit-metadata', enabled: 'key-edit-enabled' };
  const id = ids[param.split(/[.[]/)[0]];
  return id ? $(id) : null;
}

function clearProblems() {
  $('key-edit-error').hidden = true;
  $('key-edit-error').textContent = '';
  $('key-edit-saved').textContent = '';
  for (const node of $('key-edit-form').querySelectorAll('[aria-invalid]')) unmarkControl(node, 'key-edit-error');
}

async function save() {
  clearProblems();
  // Only the metadata is checked here (its InputError is shown in the form); the rest is the API's to judge.
  const { patch, sentRows } = changes();
  const names = Object.keys(patch);
  if (names.length === 0) {
    $('key-edit-saved').textContent = 'Nothing to save: no field was changed.';
    return;
  }
  const { id } = editing.key;
  let item;
  try {
    item = await api('PATCH', `/keys/${encodeURIComponent(id)}`, patch);
  } catch (error) {
    const control = error instanceof ApiError ? controlFor(error.param, sentRows) : null;
    if (control) markControl(control, 'key-edit-error');
    throw error;
  }
  editing = null; // reopened below with what the API now holds
  const auditReloaded = changed({ resource: 'keys', item });
  openKeyEditor(id, { focus: false });
  $('key-edit-saved').textContent = `Saved: ${names.join(', ')}.`;
  // The form was drawn afresh: the keyboard stays on its Save button.
  focusFirst($('key-edit-form')?.querySelector('button[type="submit"]'));
  await auditReloaded;
}

function field(id, label, control, hint) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', { id: `${id}-hint` }, hint) : null);
}

function teamChoices(current) {
  const byName = [...state.teams].sort((one, other) => one.name.localeCompare(other.name)).map((team) => [team.id, team.name]);
  return withValue([['', 'No team'], ...byName], current ?? '');
}

function facts(key) {
  const entries = [['Id', key.id], ['Key', key.display], ['Consumer', consumerName(key.consumer_id)], ['Team', teamName(key.team_id)], ['Status', keyStatus(key)], ['Created', formatTime(key.created_at)], ['Updated', formatTime(key.updated_at)], ['Last used', formatTime(key.last_used_at)]];
  return h('dl', { class: 'facts' }, entries.map(([name, value]) => h('div', {}, h('dt', {}, name), h('dd', {}, orNone(value)))));
}

/** Shows the key's details and, for an admin token, the form that changes them. */
export function openKeyEditor(id, { focus = true } = {}) {
  const key = state.keysById.get(id);
  const panel = $('key-detail');
  if (!key) return;
  const expiry = key.expires_at ? new Date(key.expires_at).toISOString().slice(0, 19) : '';
  const metadata = metadataText(key.metadata);
  const form = h(
    'form',
    { id: 'key-edit-form', 'aria-labelledby': 'key-detail-title', novalidate: true, onsubmit: (event) => {
      event.preventDefault();
      busy(event.submitter, save, reportIn($('key-edit-error')));
    } },
    h(
      'fieldset',
      { class: 'plain', disabled: state.readOnly },
      field('key-edit-name', 'Name', h('input', { id: 'key-edit-name', type: 'text', value: key.name ?? '' })),
      field('key-edit-team', 'Team', select({ id: 'key-edit-team' }, teamChoices(key.team_id), key.team_id ?? '')),
      field('key-edit-models', 'Allowed models (comma-separated names or globs; empty: any)', h('input', { id: 'key-edit-models', type: 'text', value: key.models.join(', ') })),
      field('key-edit-ips', 'Client IPs or CIDRs (comma-separated; empty: any)', h('input', { id: 'key-edit-ips', type: 'text', value: key.ips.join(', ') })),
      h(
        'fieldset',
        { id: 'key-edit-limits-group' },
        h('legend', {}, 'Limits'),
        h('p', { id: 'key-edit-no-limits', class: 'empty' }, 'No limits: only the gateway-wide ones apply.'),
        h('ol', { id: 'key-edit-limits', class: 'limits' }, limitRows(key.limits).map(limitRow)),
        state.readOnly ? null : h('button', { type: 'button', class: 'secondary', id: 'key-edit-add-limit' }, 'Add a limit'),
        h('small', {}, 'Requests and tokens count over a sliding period; USD starts over at each calendar period (UTC); "requests in flight" takes no period. A row with no amount is left out.'),
      ),
      h(
        'fieldset',
        { class: 'row' },
        h('legend', {}, 'Budget'),
        field('key-edit-budget', 'Most spend in USD (empty: no budget)', h('input', { id: 'key-edit-budget', type: 'number', step: 'any', value: key.budget?.max_usd ?? '' })),
        field('key-edit-budget-period', 'Per (calendar, UTC)', select({ id: 'key-edit-budget-period' }, withValue([...periods].reverse(), key.budget?.period ?? 'month'), key.budget?.period ?? 'month')),
      ),
      field('key-edit-expires', 'Expires at, UTC (empty: never; a past time makes the key expire now)', h('input', { id: 'key-edit-expires', type: 'datetime-local', step: '1', value: expiry })),
      field(
        'key-edit-metadata',
        'Metadata (a JSON object of strings; empty: none)',
        h('textarea', { id: 'key-edit-metadata', rows: String(Math.min(12, Math.max(2, metadata.split('\n').length))), spellcheck: 'false', 'aria-describedby': 'key-edit-metadata-hint' }, metadata),
        'For example {"owner": "ops", "cost_center": "42"}. Routes (match.metadata) and plugins read it.',
      ),
      h('div', { class: 'field check' }, h('input', { id: 'key-edit-enabled', type: 'checkbox', checked: key.enabled }), h('label', { for: 'key-edit-enabled' }, 'Enabled')),
    ),
    h('p', { id: 'key-edit-error', class: 'form-error', role: 'alert', hidden: true }),
    h('p', { id: 'key-edit-saved', class: 'saved', role: 'status' }),
    h(
      'div',
      { class: 'actions' },
      state.readOnly ? null : h('button', { type: 'submit' }, 'Save changes'),
      h('button', { type: 'button', class: 'secondary', onclick: () => showAuditFor('keys', key.id) }, 'Show its audit log'),
      h('button', { type: 'button', class: 'secondary', onclick: () => closeKeyEditor({ restoreFocus: true }) }, 'Close'),
    ),
  );
  panel.replaceChildren(h('h3', { id: 'key-detail-title', tabindex: '-1' }, `Key ${key.name ?? 'unnamed'} (${key.display})`), facts(key), form);
  panel.hidden = false;
  $('key-edit-add-limit')?.addEventListener('click', () => {
    $('key-edit-limits').append(limitRow({ amount: '', unit: 'requests', per: 'minute', scope: 'key', mode: 'hard' }));
    numberLimitRows();
    $('key-edit-limits').lastElementChild.querySelector('input').focus();
  });
  numberLimitRows();
  // The textarea's own value, not `metadata`: the browser normalizes line breaks in it.
  editing = { key, initial: readForm().fields, metadataText: $('key-edit-metadata').value };
  if (focus) {
    panel.scrollIntoView({ block: 'start' });
    $('key-detail-title').focus();
  }
}

/** Closes the key's details; `restoreFocus`: back to the key's Edit button in the list (or the Find box). */
export function closeKeyEditor({ restoreFocus = false } = {}) {
  const id = editing?.key.id;
  editing = null;
  $('key-detail').hidden = true;
  $('key-detail').replaceChildren();
  if (restoreFocus && id !== undefined) focusFirst(`${byData('key', id)} [data-action="edit"]`, 'key-filter');
}

function hasEdits() {
  try {
    return Object.keys(changes().patch).length > 0;
  } catch {
    return true; // metadata that does not parse yet is an edit in progress
  }
}

/** After the lists reload: the open key is shown afresh unless the operator has unsaved edits (`force`: even then). */
export function refreshKeyEditor({ force = false } = {}) {
  if (editing === null) return;
  if (!state.keysById.has(editing.key.id)) {
    closeKeyEditor();
    return;
  }
  if (force || !hasEdits()) openKeyEditor(editing.key.id, { focus: false });
}
