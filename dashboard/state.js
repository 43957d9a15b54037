// What the sections share: the teams, consumers and keys last loaded, whether the token may write,
// and who wants to hear of a change. A write the page makes updates these lists from the API's
// answer (the object written, or the id deleted) instead of loading every list again; Refresh
// loads them afresh.

export const state = {
  /** A viewer token: no write controls are shown. */
  readOnly: false,
  teams: [],
  consumers: [],
  keys: [],
  teamsById: new Map(),
  consumersById: new Map(),
  keysById: new Map(),
  /** Lists cut at maxListed ('teams', 'consumers', 'keys'). */
  incomplete: [],
  /** Grows whenever the consumers change, so the consumer <select> is rebuilt only then. */
  consumersVersion: 0,
};

const lists = { teams: ['teams', 'teamsById'], consumers: ['consumers', 'consumersById'], keys: ['keys', 'keysById'] };

/** The lists as loaded (each oldest first, as the API pages them). */
export function setDirectory({ teams, consumers, keys, incomplete }) {
  Object.assign(state, {
    teams,
    consumers,
    keys,
    teamsById: new Map(teams.map((team) => [team.id, team])),
    consumersById: new Map(consumers.map((consumer) => [consumer.id, consumer])),
    keysById: new Map(keys.map((key) => [key.id, key])),
    incomplete,
    consumersVersion: state.consumersVersion + 1,
  });
}

/** Nothing loaded (after signing out). */
export function clearDirectory() {
  setDirectory({ teams: [], consumers: [], keys: [], incomplete: [] });
  state.readOnly = false;
}

/** A created or changed object, as the API answered it: replaced in place, or added as the newest. */
export function put(resource, item) {
  const [list, byId] = lists[resource];
  const index = state[byId].has(item.id) ? state[list].findIndex((other) => other.id === item.id) : -1;
  if (index === -1) state[list].push(item);
  else state[list][index] = item;
  state[byId].set(item.id, item);
  if (resource === 'consumers') state.consumersVersion += 1;
}

/** A deleted object. */
export function drop(resource, id) {
  const [list, byId] = lists[resource];
  if (!state[byId].delete(id)) return;
  state[list] = state[list].filter((item) => item.id !== id);
  if (resource === 'consumers') state.consumersVersion += 1;
}

/** The team's name, or its id when it is not (or no longer) loaded; "—" for none. */
export const teamName = (id) => (id === null || id === undefined ? '—' : state.teamsById.get(id)?.name ?? id);
export const consumerName = (id) => state.consumersById.get(id)?.name ?? id;

const changeListeners = [];

/** `listener(change)` runs after every write the dashboard makes (in order; one may return a promise). */
export function onChange(listener) {
  changeListeners.push(listener);
}

/**
 * Called after a write with what the API answered: `{ resource, item }` for a create or an
 * update, `{ resource, deleted: id }` for a delete. Updates the lists and tells the sections at
 * once (the tables are redrawn when this returns); the promise settles when the slower work they
 * started (reloading the audit log) is done.
 */
export function changed(change) {
  if (change.item) put(change.resource, change.item);
  else if (change.deleted) drop(change.resource, change.deleted);
  return Promise.all(changeListeners.map((listener) => listener(change)));
}
