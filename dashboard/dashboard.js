// Tollgate's dashboard: a page over the Admin API of the same origin (docs/admin-api.md). No build
// step and no framework: plain ES modules, one per section. Every value from the API reaches the
// page as text (textContent, text nodes, setAttribute on plain attributes), never as HTML; the
// server's Content-Security-Policy allows only this origin's files.

import { currentToken, listAll, setToken, tokenMayWrite } from './api.js';
import { loadAudit, startAudit } from './audit.js';
import { $ } from './dom.js';
import { busy, clearError, onAuthProblems, report } from './feedback.js';
import { formatCount } from './format.js';
import { closeKeyEditor, refreshKeyEditor } from './key-editor.js';
import { hideSecret, renderKeys, startKeys } from './keys.js';
import { loadOverview } from './overview.js';
import { loadProviders } from './providers.js';
import { onChange, state } from './state.js';
import { renderDirectory, startTeams } from './teams.js';

const healthInterval = 5000;

// --- Teams, consumers and keys --------------------------------------------------------------

function renderAll({ reopenEditor = false } = {}) {
  renderDirectory();
  renderKeys();
  refreshKeyEditor({ force: reopenEditor });
}

async function loadDirectory() {
  const [teams, consumers, keys] = await Promise.all([listAll('/teams'), listAll('/consumers'), listAll('/keys')]);
  Object.assign(state, {
    teams: teams.items,
    consumers: consumers.items,
    keys: keys.items,
    teamsById: new Map(teams.items.map((team) => [team.id, team])),
    consumersById: new Map(consumers.items.map((consumer) => [consumer.id, consumer])),
    keysById: new Map(keys.items.map((key) => [key.id, key])),
    incomplete: [[teams, 'teams'], [consumers, 'consumers'], [keys, 'keys']].filter(([list]) => !list.complete).map(([, name]) => name),
  });
  renderAll();
}

// --- The token and what it may do -----------------------------------------------------------

/** A viewer token sees no write controls: the static forms are hidden, the tables drop their buttons. */
function setReadOnly(readOnly) {
  const changedMode = state.readOnly !== readOnly;
  state.readOnly = readOnly;
  for (const node of document.querySelectorAll('[data-write]')) node.hidden = readOnly;
  $('read-only-note').hidden = !readOnly;
  if (changedMode) renderAll({ reopenEditor: true });
}

function signOut() {
  setToken(null);
  hideSecret();
  closeKeyEditor();
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('token').value = '';
  $('token').focus();
}

async function signIn(value) {
  setToken(value);
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  clearError();
  let mayWrite = true;
  try {
    mayWrite = await tokenMayWrite();
  } catch (error) {
    report(error);
    // A 401 has signed out; any other failure leaves the controls on (the API still refuses a viewer's writes).
    if (currentToken() === null) return;
  }
  setReadOnly(!mayWrite);
  $('app').hidden = false;
  await loadAll();
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
  // The overview and the audit log name keys, teams and consumers from the lists: those first.
  const results = await Promise.allSettled([loadDirectory().then(() => Promise.all([loadOverview(), loadAudit()])), loadProviders()]);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) report(failure.reason);
}

function start() {
  onAuthProblems({ unauthorized: signOut, readOnly: () => setReadOnly(true) });
  // After every write: the lists (and the counts and names drawn from them), then the audit log.
  onChange(loadDirectory);
  onChange(loadAudit);

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
  startTeams();
  startKeys();
  startAudit();

  checkHealth();
  setInterval(checkHealth, healthInterval);
  const token = currentToken();
  if (token) busy(null, () => signIn(token));
  else signOut();
}

start();
