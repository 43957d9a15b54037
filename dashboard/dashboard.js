// Tollgate's dashboard: a page over the Admin API of the same origin (docs/admin-api.md). No build
// step and no framework. Every value from the API reaches the page as text (textContent, text
// nodes, setAttribute on plain attributes), never as HTML; the server's Content-Security-Policy
// allows only this origin's files.

const tokenStorageKey = 'tollgate-admin-token';
const healthInterval = 5000;

const $ = (id) => document.getElementById(id);

/** An element with attributes, listeners (`onclick`...) and children (strings become text nodes). */
function h(tag, properties = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(properties)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) node.append(child instanceof Node ? child : String(child));
  return node;
}

// --- Formatting -----------------------------------------------------------------------------

const integer = new Intl.NumberFormat('en-US');
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });
const formatCount = (value) => integer.format(value ?? 0);
const formatCost = (value) => dollars.format(value ?? 0);
const orNone = (value) => (value === null || value === undefined || value === '' ? '—' : String(value));
// Through Date, so a time written with an offset is shown in UTC too.
const formatTime = (value) => {
  const time = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? orNone(value) : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

// --- The Admin API --------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message, request) {
    super(message);
    this.status = status;
    this.code = code;
    this.request = request;
  }
}

let token = sessionStorage.getItem(tokenStorageKey);

/** Calls the Admin API with the token; throws ApiError with the API's own code and message. */
async function api(method, path, body) {
  const headers = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const request = `${method} ${path.split('?')[0]}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (error) {
    throw new ApiError(0, 'network_error', `The gateway did not answer (${error.message}).`, request);
  }
  const text = await response.text();
  let parsed;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = parsed?.error;
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? text.slice(0, 300), request);
  }
  return parsed;
}

// Lists come a page at a time (at most 1,000 items, oldest first); the dashboard follows
// next_cursor to the end, up to a bound that keeps the page usable.
const pageSize = 1000;
const maxListed = 50_000;

/** Every item of a list (up to maxListed): `{ items, complete }`. */
async function listAll(path) {
  const items = [];
  let cursor = null;
  do {
    const page = await api('GET', `${path}?limit=${pageSize}${cursor === null ? '' : `&after=${encodeURIComponent(cursor)}`}`);
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor !== null && items.length < maxListed);
  return { items, complete: cursor === null };
}

// --- Errors and the token -------------------------------------------------------------------

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

/** Shows an API failure; a 401 means the token is wrong or gone, so it asks for it again. */
function report(error) {
  if (!(error instanceof ApiError)) {
    showError(`Unexpected error: ${error?.message ?? String(error)}`);
    return;
  }
  const detail = `${error.request}: ${error.status === 0 ? '' : `${error.status} `}${error.code}: ${error.message}`;
  if (error.status === 401) {
    signOut();
    showError(`The token was refused (${detail}). Enter a valid admin or viewer token.`);
    return;
  }
  if (error.status === 403) showError(`Not allowed with this token (${detail}). A viewer token can read but not change anything.`);
  else showError(detail);
}

function signOut() {
  token = null;
  sessionStorage.removeItem(tokenStorageKey);
  hideSecret();
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('token').value = '';
  $('token').focus();
}

function signIn(value) {
  token = value;
  sessionStorage.setItem(tokenStorageKey, value);
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  return loadAll();
}

/** Runs an action with its button disabled, showing any failure. */
async function busy(button, action) {
  if (button) button.disabled = true;
  try {
    clearError();
    await action();
  } catch (error) {
    report(error);
  } finally {
    if (button) button.disabled = false;
  }
}

// --- Tables ---------------------------------------------------------------------------------

/** A table of rows; columns are {label, value(row) -> string | Node, number?}. */
function table(label, columns, rows) {
  if (rows.length === 0) return h('p', { class: 'empty' }, 'Nothing yet.');
  return h(
    'table',
    { 'aria-label': label },
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', class: column.number ? 'number' : undefined }, column.label)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((column) => h('td', { class: column.number ? 'number' : undefined }, column.value(row)))))),
  );
}

const usageColumns = [
  { label: 'Requests', number: true, value: (row) => formatCount(row.requests) },
  { label: 'Errors', number: true, value: (row) => formatCount(row.errors) },
  { label: 'Input tokens', number: true, value: (row) => formatCount(row.input_tokens) },
  { label: 'Output tokens', number: true, value: (row) => formatCount(row.output_tokens) },
  { label: 'Cost', number: true, value: (row) => formatCost(row.cost_usd) },
];

// --- Overview -------------------------------------------------------------------------------

let keysById = new Map();
let consumersById = new Map();

async function loadOverview() {
  const from = new Date(Date.now() - Number($('range').value) * 3600_000).toISOString();
  const query = (groupBy) => `/usage?group_by=${groupBy}&from=${encodeURIComponent(from)}`;
  const [byModel, byKey] = await Promise.all([api('GET', query('provider,model')), api('GET', query('consumer,key'))]);
  const totals = byModel.totals;
  const figures = [
    ['Requests', formatCount(totals.requests)],
    ['Errors', formatCount(totals.errors)],
    ['Tokens', formatCount(totals.input_tokens + totals.output_tokens)],
    ['Cost', formatCost(totals.cost_usd)],
  ];
  $('totals').replaceChildren(...figures.map(([name, value]) => h('div', { 'data-total': name.toLowerCase() }, h('dt', {}, name), h('dd', {}, value))));
  $('by-model').replaceChildren(table('Usage by model', [{ label: 'Model', value: (row) => (row.model === null ? '—' : `${row.provider ?? '?'}/${row.model}`) }, ...usageColumns], byModel.data));
  const keyLabel = (row) => {
    if (row.key === null || row.key === undefined) return '—';
    const key = keysById.get(row.key);
    return key ? `${key.name ?? key.display} (${row.key})` : String(row.key);
  };
  $('by-key').replaceChildren(table('Usage by consumer and key', [{ label: 'Consumer', value: (row) => orNone(row.consumer) }, { label: 'Key', value: keyLabel }, ...usageColumns], byKey.data));
}

// --- Providers and models -------------------------------------------------------------------

async function loadProviders() {
  const [providers, models] = await Promise.all([api('GET', '/providers?limit=1000'), api('GET', '/models?limit=1000')]);
  $('provider-list').replaceChildren(
    table('Providers', [
      { label: 'Name', value: (row) => row.id },
      { label: 'Type', value: (row) => row.type },
      { label: 'Base URL', value: (row) => row.base_url },
      { label: 'Models', value: (row) => (row.models.length === 0 ? 'any' : row.models.join(', ')) },
      { label: 'Credential', value: (row) => (row.has_credential ? `set (${row.credential_source})` : 'none') },
      { label: 'Declared in', value: (row) => row.source },
    ], providers.data),
  );
  const target = (entry) => `${entry.provider ?? '?'}/${entry.model ?? '?'}${entry.weight === undefined ? '' : ` ×${entry.weight}`}`;
  $('model-list').replaceChildren(
    table('Model groups', [
      { label: 'Name', value: (row) => row.id },
      { label: 'Strategy', value: (row) => row.strategy },
      { label: 'Targets', value: (row) => row.targets.map(target).join(', ') },
    ], models.data),
  );
}

// --- Keys -----------------------------------------------------------------------------------

function keyStatus(key) {
  if (!key.enabled) return 'disabled';
  if (key.expires_at && Date.parse(key.expires_at) <= Date.now()) return 'expired';
  return 'active';
}

async function loadKeys() {
  const [consumers, keys] = await Promise.all([listAll('/consumers'), listAll('/keys')]);
  consumersById = new Map(consumers.items.map((consumer) => [consumer.id, consumer]));
  keysById = new Map(keys.items.map((key) => [key.id, key]));

  const select = $('key-consumer');
  const chosen = select.value;
  const byName = [...consumers.items].sort((one, other) => one.name.localeCompare(other.name));
  select.replaceChildren(...(byName.length === 0 ? [h('option', { value: '', disabled: true, selected: true }, 'Add a consumer first')] : byName.map((consumer) => h('option', { value: consumer.id }, consumer.name))));
  if (chosen && consumersById.has(chosen)) select.value = chosen;

  const label = (key) => `${key.name ?? 'unnamed'} (${key.display})`;
  // Newest first: the key just made, or a recent one to revoke now, is at the top.
  $('key-list').replaceChildren(
    table('Keys', [
      { label: 'Name', value: (key) => orNone(key.name) },
      { label: 'Key', value: (key) => h('code', {}, key.display) },
      { label: 'Consumer', value: (key) => consumersById.get(key.consumer_id)?.name ?? key.consumer_id },
      { label: 'Models', value: (key) => (key.models.length === 0 ? 'any' : key.models.join(', ')) },
      { label: 'Status', value: (key) => keyStatus(key) },
      { label: 'Expires', value: (key) => formatTime(key.expires_at) },
      { label: 'Last used', value: (key) => formatTime(key.last_used_at) },
      {
        label: 'Actions',
        value: (key) =>
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', class: 'secondary', 'aria-label': `${key.enabled ? 'Disable' : 'Enable'} key ${label(key)}`, onclick: (event) => busy(event.currentTarget, () => setEnabled(key, !key.enabled)) }, key.enabled ? 'Disable' : 'Enable'),
            h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke key ${label(key)}`, onclick: (event) => busy(event.currentTarget, () => revoke(key)) }, 'Revoke'),
          ),
      },
    ], [...keys.items].reverse()),
  );
  for (const [list, what] of [[consumers, 'consumers'], [keys, 'keys']]) {
    if (!list.complete) $('key-list').append(h('p', { class: 'empty' }, `Showing the oldest ${formatCount(maxListed)} ${what} only; use the Admin API or \`tollgate ${what} list\` for the rest.`));
  }
}

async function setEnabled(key, enabled) {
  await api('PATCH', `/keys/${encodeURIComponent(key.id)}`, { enabled });
  await loadKeys();
}

async function revoke(key) {
  if (!window.confirm(`Revoke key ${key.name ?? ''} ${key.display}? Clients using it are refused at once; this cannot be undone.`)) return;
  await api('DELETE', `/keys/${encodeURIComponent(key.id)}`);
  await loadKeys();
}

function showSecret(secret) {
  $('new-secret-value').textContent = secret;
  $('new-secret').hidden = false;
  $('copy-secret').focus();
}

function hideSecret() {
  $('new-secret-value').textContent = '';
  $('new-secret').hidden = true;
}

async function createKey(form) {
  const data = new FormData(form);
  const body = { consumer: String(data.get('consumer') ?? '') };
  const name = String(data.get('name') ?? '').trim();
  if (name !== '') body.name = name;
  const models = String(data.get('models') ?? '').split(',').map((model) => model.trim()).filter((model) => model !== '');
  if (models.length > 0) body.models = models;
  const created = await api('POST', '/keys', body);
  form.reset();
  showSecret(created.key);
  await loadKeys();
}

async function createConsumer(form) {
  const name = String(new FormData(form).get('name') ?? '').trim();
  const created = await api('POST', '/consumers', { name });
  form.reset();
  await loadKeys();
  $('key-consumer').value = created.id;
}

// --- Health ---------------------------------------------------------------------------------

async function checkHealth() {
  const line = $('health');
  let text;
  let healthy = false;
  try {
    const response = await fetch('/readyz', { cache: 'no-store' });
    const body = await response.json().catch(() => ({}));
    healthy = response.ok;
    const providers = Array.isArray(body.providers) ? body.providers.length : 0;
    const models = Array.isArray(body.models) ? body.models.length : 0;
    text = `${healthy ? 'Ready' : `Not ready (${response.status})`} · ${providers} provider${providers === 1 ? '' : 's'} · ${models} model group${models === 1 ? '' : 's'} · ${formatCount(body.in_flight)} in flight`;
  } catch {
    text = 'The gateway does not answer';
  }
  // Rewritten only when it changes, so a screen reader is not told the same line every 5 s.
  if (line.textContent !== text) line.textContent = text;
  line.className = `health ${healthy ? 'ok' : 'bad'}`;
}

// --- Start ----------------------------------------------------------------------------------

async function loadAll() {
  clearError();
  const results = await Promise.allSettled([loadKeys().then(loadOverview), loadProviders()]);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) report(failure.reason);
}

function start() {
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('token').value.trim();
    if (value !== '') busy(event.submitter, () => signIn(value));
  });
  $('sign-out').addEventListener('click', () => {
    clearError();
    signOut();
  });
  $('refresh').addEventListener('click', (event) => busy(event.currentTarget, loadAll));
  $('range').addEventListener('change', () => busy(null, loadOverview));
  $('create-key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    busy(event.submitter, () => createKey(form));
  });
  $('create-consumer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    busy(event.submitter, () => createConsumer(form));
  });
  $('copy-secret').addEventListener('click', () => {
    navigator.clipboard?.writeText($('new-secret-value').textContent ?? '').catch(() => showError('Copying failed: select the key and copy it by hand.'));
  });
  $('dismiss-secret').addEventListener('click', hideSecret);

  checkHealth();
  setInterval(checkHealth, healthInterval);
  if (token) signIn(token);
  else signOut();
}

start();
