// What the sections share: the teams, consumers and keys last loaded, whether the token may write,
// and who wants to hear of a change (a write reloads the lists and the audit log).

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
};

/** The team's name, or its id when it is not (or no longer) loaded; "—" for none. */
export const teamName = (id) => (id === null || id === undefined ? '—' : state.teamsById.get(id)?.name ?? id);
export const consumerName = (id) => state.consumersById.get(id)?.name ?? id;

const changeListeners = [];

/** `listener` runs (in order, awaited) after every write the dashboard makes. */
export function onChange(listener) {
  changeListeners.push(listener);
}

/** Called after a write: reloads what depends on it. */
export async function changed() {
  for (const listener of changeListeners) await listener();
}
