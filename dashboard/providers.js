// The providers and model groups of the running config (read-only: they live in the YAML).

import { api } from './api.js';
import { $, table } from './dom.js';

export async function loadProviders() {
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

/** Nothing shown (after signing out). */
export function clearProviders() {
  $('provider-list').replaceChildren();
  $('model-list').replaceChildren();
}
