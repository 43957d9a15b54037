// Tollgate's dashboard: a page over the Admin API of the same origin (docs/admin-api.md). No build
// step and no framework: plain ES modules, one per section. Every value from the API reaches the
// page as text (textContent, text nodes, setAttribute on plain attributes), never as HTML; the
// server's Content-Security-Policy allows only this origin's files.

import { ApiError, currentToken, forgetToken, keepToken, listAll, onLoading, tokenMayWrite, useToken } from './api.js';
import { clearAudit, loadAudit, startAudit } from './audit.js';
import { $, focusFirst } from './dom.js';
import { busy, clearError, describe, onAuthProblems, report, showError } from './feedback.js';
import { formatCount } from './format.js';
import { closeKeyEditor, refreshKeyEditor } from './key-editor.js';
import { clearKeys, renderKeys, startKeys } from './keys.js';
import { clearOverview, loadOverview } from './overview.js';
import { clearProviders, loadProviders } from './providers.js';
import { clearDirectory, onChange, setDirectory, state } from './state.js';
import { clearDirectoryView, renderDirectory, startTeams } from './teams.js';

const healthInterval = 5000;
// A call that answers within this long shows no "Loading…" (it would only flicker).
const loadingDelay = 300;

// --- Teams, consumers and keys --------------------------------------------------------------

function renderAll({ reopenEditor = false } = {}) {
  renderDirectory();
  renderKeys();
  refreshKeyEditor({ force: reopenEditor });
}

async function loadDirectory() {
  const [teams, consumers, keys] = await Promise.all([listAll('/teams'), listAll('/consumers'), listAll('/keys')]);
  setDirectory({
    teams: teams.items,
    consumers: consumers.items,
    keys: keys.items,
    incomplete: [[teams, 'teams'], [consumers, 'consumers'], [keys, 'keys']].filter(([list]) => !list.complete).map(([, name]) => name),
  });
  renderAll();
}

/** After a write (the lists already hold the API's answer): the tables redrawn, focus back where the change says. */
function redrawAfterChange(change) {
  renderAll();
  if (change.focus) focusFirst(...change.focus);
}

/** After a write: the audit log's first page. Its failure is reported, but the write itself went through. */
async function reloadAudit() {
  try {
    await loadAudit();
  } catch (error) {
    report(error);
  }
}

// --- The token and what it may do -----------------------------------------------------------

/** A viewer token sees no write controls: the static forms are hidden, the tables drop their buttons. */
function showWriteControls(readOnly) {
  for (const node of document.querySelectorAll('[data-write]')) node.hidden = readOnly;
  $('read-only-note').hidden = !readOnly;
}

function setReadOnly(readOnly) {
  const changedMode = state.readOnly !== readOnly;
  state.readOnly = readOnly;
  showWriteControls(readOnly);
  if (changedMode) renderAll({ reopenEditor: true });
}

/** The sign-in form alone: no part of the signed-in page, none of its data. */
function showSignIn() {
  closeKeyEditor();
  clearKeys();
  clearDirectoryView();
  clearAudit();
  clearOverview();
  clearProviders();
  clearDirectory();
  showWriteControls(false);
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('token').focus();
}

/** Forgets the token (its calls under way end) and empties the page. */
function signOut() {
  forgetToken();
  $('token').value = '';
  showSignIn();
}

const seconds = (count) => (count >= 120 ? `${Math.ceil(count / 60)} minutes` : `${count} s`);

/** `GET /whoami` did not accept the token: say why, and keep the sign-in form (a 401 has already signed out). */
function refuseSignIn(error, { stored }) {
  if (error instanceof ApiError && error.status === 401) return report(error);
  // Not checked, so not kept: a token typed now is dropped; one this tab kept earlier (checked
  // then) stays in its storage, so that reloading the page tries it again.
  useToken(null);
  showSignIn();
  if (error instanceof ApiError && error.status === 429) {
    const wait = error.retryAfter === null ? 'for a while' : `for ${seconds(error.retryAfter)} more`;
    showError(`Too many wrong tokens were sent from this address: the Admin API refuses every token, the right one too, ${wait} (${describe(error)}). Wait, then sign in again.`);
  } else {
    showError(`The token could not be checked (${describe(error)}). ${stored ? 'Reload the page to try the token this tab kept again, or enter one below.' : 'Try again.'}`);
  }
}

/** Checks the token (`GET /whoami`), and only then keeps it and shows the page for its role. */
async function signIn(value, { stored = false } = {}) {
  clearError();
  useToken(value);
  let mayWrite;
  try {
    mayWrite = await tokenMayWrite();
  } catch (error) {
    refuseSignIn(error, { stored });
    return;
  }
  keepToken();
  $('token').value = '';
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  setReadOnly(!mayWrite);
  $('app').hidden = false;
  // The form that had focus is gone: the keyboard starts at the page's first heading.
  if (!stored) $('overview-title').focus();
  await loadAll();
}

// --- Loading --------------------------------------------------------------------------------

let loadingTimer = null;

/** "Loading…" beside the health line (and `aria-busy` on the page) while a call takes longer than loadingDelay. */
function showLoading(active) {
  clearTimeout(loadingTimer);
  loadingTimer = null;
  if (active) {
    loadingTimer = setTimeout(() => {
      $('loading').textContent = 'Loading…';
      $('main').setAttribute('aria-busy', 'true');
    }, loadingDelay);
  } else {
    $('loading').textContent = '';
    $('main').removeAttribute('aria-busy');
  }
}

// --- Health ---------------------------------------------------------------------------------

async function checkHealth() {
  const line = $('health');
  let text;
  let healthy = false;
  try {
    // Bounded, so that a hung gateway does not pile up checks: the next one starts as this one gives up.
    const response = await fetch('/readyz', { cache: 'no-store', signal: AbortSignal.timeout(healthInterval) });
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
  // After every write: the tables redrawn from the lists (which hold the API's answer), then the audit log.
  onChange(redrawAfterChange);
  onChange(reloadAudit);
  onLoading(showLoading);

  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('token').value.trim();
    if (value !== '') busy(event.submitter, () => signIn(value));
  });
  $('sign-out').addEventListener('click', () => {
    clearError();
    signOut();
  });
  $('token-shown').addEventListener('change', (event) => $('token').classList.toggle('masked', !event.currentTarget.checked));
  $('refresh').addEventListener('click', (event) => busy(event.currentTarget, loadAll));
  $('range').addEventListener('change', () => busy(null, loadOverview));
  startTeams();
  startKeys();
  startAudit();

  checkHealth();
  setInterval(checkHealth, healthInterval);
  const token = currentToken();
  if (token) busy(null, () => signIn(token, { stored: true }));
  else showSignIn();
}

start();
