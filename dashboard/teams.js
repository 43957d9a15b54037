// Teams and consumers: list, create, rename and delete teams; list consumers with their team,
// enable or disable one, move one to another team (PATCH /consumers/{id} {team}).

import { api } from './api.js';
import { $, byData, focusFirst, h, select, table } from './dom.js';
import { busy } from './feedback.js';
import { formatCount, formatMetadata, formatTime, parseMetadata } from './format.js';
import { changed, state, teamName } from './state.js';

const noTeam = '';

/** [value, label] pairs for a team <select>: "no team", then the teams by name. */
function teamOptions(noneLabel = 'No team') {
  const byName = [...state.teams].sort((one, other) => one.name.localeCompare(other.name));
  return [[noTeam, noneLabel], ...byName.map((team) => [team.id, team.name])];
}

function counts(items, field) {
  const result = new Map();
  for (const item of items) if (item[field] !== null) result.set(item[field], (result.get(item[field]) ?? 0) + 1);
  return result;
}

// --- Teams ----------------------------------------------------------------------------------

/** A row's button (`data-action`), where focus goes back to once the row's small form is gone or the row redrawn. */
const rowButton = (row, id, action) => `${byData(row, id)} [data-action="${action}"]`;

/** The name cell, swapped for a small form while the team is being renamed. */
function renameForm(team, cell) {
  const input = h('input', { type: 'text', value: team.name, required: true, 'aria-label': `New name for team ${team.name}` });
  const backToRename = rowButton('team', team.id, 'rename');
  const restore = () => {
    cell.replaceChildren(team.name);
    focusFirst(backToRename);
  };
  const form = h(
    'form',
    {
      class: 'inline',
      onsubmit: (event) => {
        event.preventDefault();
        busy(event.submitter, async () => {
          const name = input.value.trim();
          if (name === team.name) return restore();
          const item = await api('PATCH', `/teams/${encodeURIComponent(team.id)}`, { name });
          await changed({ resource: 'teams', item, focus: [backToRename] });
        });
      },
      onkeydown: (event) => event.key === 'Escape' && restore(),
    },
    input,
    h('button', { type: 'submit' }, 'Save'),
    h('button', { type: 'button', class: 'secondary', onclick: restore }, 'Cancel'),
  );
  cell.replaceChildren(form);
  input.select();
}

async function deleteTeam(team, consumers, keys) {
  const holds = consumers + keys === 0 ? '' : ` It still has ${formatCount(consumers)} consumer(s) and ${formatCount(keys)} key(s): the API refuses to delete it until they are moved or deleted.`;
  if (!window.confirm(`Delete team ${team.name}?${holds}`)) return;
  await api('DELETE', `/teams/${encodeURIComponent(team.id)}`);
  await changed({ resource: 'teams', deleted: team.id, focus: ['team-list-title'] });
}

export function renderTeams() {
  const consumersPerTeam = counts(state.consumers, 'team_id');
  const keysPerTeam = counts(state.keys, 'team_id');
  const nameCells = new Map();
  $('team-list').replaceChildren(
    table('Teams', [
      {
        label: 'Name',
        value: (team) => {
          const cell = h('span', {}, team.name);
          nameCells.set(team.id, cell);
          return cell;
        },
      },
      { label: 'Consumers', number: true, value: (team) => formatCount(consumersPerTeam.get(team.id) ?? 0) },
      { label: 'Keys', number: true, value: (team) => formatCount(keysPerTeam.get(team.id) ?? 0) },
      { label: 'Metadata', value: (team) => formatMetadata(team.metadata) },
      { label: 'Created', value: (team) => formatTime(team.created_at) },
      ...(state.readOnly ? [] : [{
        label: 'Actions',
        value: (team) =>
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', class: 'secondary', 'data-action': 'rename', 'aria-label': `Rename team ${team.name}`, onclick: () => renameForm(team, nameCells.get(team.id)) }, 'Rename'),
            h('button', { type: 'button', class: 'danger', 'data-action': 'delete', 'aria-label': `Delete team ${team.name}`, onclick: (event) => busy(event.currentTarget, () => deleteTeam(team, consumersPerTeam.get(team.id) ?? 0, keysPerTeam.get(team.id) ?? 0)) }, 'Delete'),
          ),
      }]),
    ], state.teams, { empty: 'No teams yet.', rowProperties: (team) => ({ 'data-team': team.id }) }),
  );
}

async function createTeam(form) {
  const data = new FormData(form);
  const body = { name: String(data.get('name') ?? '').trim() };
  const metadata = parseMetadata(data.get('metadata'), { what: 'Team metadata', control: 'team-metadata' });
  if (Object.keys(metadata).length > 0) body.metadata = metadata;
  const item = await api('POST', '/teams', body);
  form.reset();
  await changed({ resource: 'teams', item });
}

// --- Consumers ------------------------------------------------------------------------------

/** The team cell, swapped for a team <select> and a Move button. */
function moveForm(consumer, cell) {
  const choice = select({ 'aria-label': `New team for ${consumer.name}` }, teamOptions(), consumer.team_id ?? noTeam);
  const backToMove = rowButton('consumer', consumer.id, 'move');
  const restore = () => {
    cell.replaceChildren(teamName(consumer.team_id));
    focusFirst(backToMove);
  };
  const form = h(
    'form',
    {
      class: 'inline',
      onsubmit: (event) => {
        event.preventDefault();
        busy(event.submitter, async () => {
          const team = choice.value === noTeam ? null : choice.value;
          if (team === consumer.team_id) return restore();
          const item = await api('PATCH', `/consumers/${encodeURIComponent(consumer.id)}`, { team });
          await changed({ resource: 'consumers', item, focus: [backToMove] });
        });
      },
      onkeydown: (event) => event.key === 'Escape' && restore(),
    },
    choice,
    h('button', { type: 'submit', 'aria-label': `Move ${consumer.name}` }, 'Move'),
    h('button', { type: 'button', class: 'secondary', onclick: restore }, 'Cancel'),
  );
  cell.replaceChildren(form);
  choice.focus();
}

async function setConsumerEnabled(consumer, enabled) {
  const item = await api('PATCH', `/consumers/${encodeURIComponent(consumer.id)}`, { enabled });
  await changed({ resource: 'consumers', item, focus: [rowButton('consumer', consumer.id, 'toggle')] });
}

/** The consumers the two filters above the table let through. */
function filteredConsumers() {
  const text = $('consumer-filter').value.trim().toLowerCase();
  const team = $('consumer-team-filter').value;
  return state.consumers.filter((consumer) => {
    if (team === 'none' ? consumer.team_id !== null : team !== 'all' && consumer.team_id !== team) return false;
    return text === '' || consumer.name.toLowerCase().includes(text) || consumer.id.toLowerCase().includes(text);
  });
}

// More rows than this cost the page more than they help: the Find box narrows the list instead.
const mostConsumersShown = 200;

export function renderConsumers() {
  const keysPerConsumer = counts(state.keys, 'consumer_id');
  const teamCells = new Map();
  const matching = filteredConsumers();
  const shown = matching.slice(0, mostConsumersShown);
  $('consumer-list').replaceChildren(
    table('Consumers', [
      { label: 'Name', value: (consumer) => consumer.name },
      {
        label: 'Team',
        value: (consumer) => {
          const cell = h('span', {}, teamName(consumer.team_id));
          teamCells.set(consumer.id, cell);
          return cell;
        },
      },
      { label: 'Keys', number: true, value: (consumer) => formatCount(keysPerConsumer.get(consumer.id) ?? 0) },
      { label: 'Status', value: (consumer) => (consumer.enabled ? 'enabled' : 'disabled') },
      { label: 'Metadata', value: (consumer) => formatMetadata(consumer.metadata) },
      ...(state.readOnly ? [] : [{
        label: 'Actions',
        value: (consumer) =>
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', class: 'secondary', 'data-action': 'toggle', 'aria-label': `${consumer.enabled ? 'Disable' : 'Enable'} consumer ${consumer.name}`, onclick: (event) => busy(event.currentTarget, () => setConsumerEnabled(consumer, !consumer.enabled)) }, consumer.enabled ? 'Disable' : 'Enable'),
            h('button', { type: 'button', class: 'secondary', 'data-action': 'move', 'aria-label': `Change team of ${consumer.name}`, onclick: () => moveForm(consumer, teamCells.get(consumer.id)) }, 'Change team'),
          ),
      }]),
    ], shown, { empty: state.consumers.length === 0 ? 'No consumers yet.' : 'No consumer matches.', rowProperties: (consumer) => ({ 'data-consumer': consumer.id }) }),
  );
  const of = matching.length === state.consumers.length ? `${formatCount(matching.length)} consumers` : `${formatCount(matching.length)} of ${formatCount(state.consumers.length)} consumers`;
  $('consumer-count').textContent = shown.length === matching.length ? of : `${of}; the first ${formatCount(shown.length)} shown, type in Find to narrow them`;
}

async function createConsumer(form) {
  const data = new FormData(form);
  const body = { name: String(data.get('name') ?? '').trim() };
  const team = String(data.get('team') ?? noTeam);
  if (team !== noTeam) body.team = team;
  const item = await api('POST', '/consumers', body);
  form.reset();
  const auditReloaded = changed({ resource: 'consumers', item });
  // The consumer just added (its option is there now) is the one "Create a key" is most likely for.
  $('key-consumer').value = item.id;
  await auditReloaded;
}

/** Refreshes the team <select>s of the forms and filters, keeping what was chosen. */
function fillTeamSelects() {
  const refill = (node, options) => {
    const chosen = node.value;
    node.replaceChildren(...options.map(([value, label]) => h('option', { value }, label)));
    if (options.some(([value]) => value === chosen)) node.value = chosen;
  };
  refill($('consumer-team'), teamOptions());
  refill($('consumer-team-filter'), [['all', 'All'], ['none', 'No team'], ...teamOptions().slice(1)]);
}

export function renderDirectory() {
  fillTeamSelects();
  renderTeams();
  renderConsumers();
}

/** Nothing listed (after signing out); the filters emptied. */
export function clearDirectoryView() {
  $('consumer-filter').value = '';
  for (const id of ['consumer-team', 'consumer-team-filter']) $(id).replaceChildren();
  for (const id of ['team-list', 'consumer-list']) $(id).replaceChildren();
  $('consumer-count').textContent = '';
  $('create-team-form').reset();
  $('create-consumer-form').reset();
}

export function startTeams() {
  $('create-team-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    busy(event.submitter, () => createTeam(form));
  });
  $('create-consumer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    busy(event.submitter, () => createConsumer(form));
  });
  $('consumer-filter').addEventListener('input', renderConsumers);
  $('consumer-team-filter').addEventListener('change', renderConsumers);
}
