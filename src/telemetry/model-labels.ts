/** The `model` label for a model the gateway has not seen answered, or once the limit is reached. */
export const otherModelLabel = 'other';

/** Distinct labels kept per process for models the configuration does not name; a deployment's real models are far fewer. */
export const defaultModelLabelLimit = 500;

/** Of those, the most one provider may take: a server that answers any name cannot take every label. */
export const defaultProviderModelLabelLimit = 100;

/** The longest model name that becomes a label; real ones are far shorter (a 9 KB name was one). */
export const maxModelLabelLength = 128;

/**
 * Where a served model stands in the configuration:
 * - `declared`: the config names it (its provider's `models:`, a target of an alias, model group or
 *   route): always its own label, since the config bounds them;
 * - `unlisted`: its provider lists its models (`models:`) and this name is not one of them;
 * - `open`: its provider lists no models (zero-config `openai/<model>`), so any name may be real.
 */
export type ModelStanding = 'declared' | 'unlisted' | 'open';

/** Characters a scraper or log shipper may choke on (C0 and C1 controls, DEL, the Unicode line and paragraph separators). */
const controlCharacter = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const controlCharacters = new RegExp(controlCharacter.source, 'g');

/** The label value of a name: its control characters percent-encoded (as x-tollgate-model writes them), the rest as it is. */
export function modelLabelValue(model: string): string {
  return controlCharacter.test(model) ? model.replace(controlCharacters, (character) => encodeURIComponent(character)) : model;
}

/**
 * Bounds the `model` label of the request and token metrics. A model name is the client's to
 * write (`openai/<anything>`), and every distinct label value is a series that lives as long as
 * the process (and in Prometheus). Models the configuration names are always labelled; a name a
 * provider with a `models:` list does not list never is (`other`); on a provider without one, a
 * name becomes a label only once the provider has answered a request for it, at most
 * `providerLimit` per provider and `limit` in all. None longer than 128 characters. So a client
 * cannot grow /metrics with names a provider refused (404 `model_not_found`), nor, through a
 * server that answers any name, push the configuration's models or another provider's into `other`.
 */
export class ModelLabels {
  /** Provider name -> its open models' labels (name -> label value). */
  readonly #open = new Map<string, Map<string, string>>();
  #openCount = 0;
  readonly #limit: number;
  readonly #providerLimit: number;

  constructor(limit = defaultModelLabelLimit, providerLimit = Math.min(limit, defaultProviderModelLabelLimit)) {
    this.#limit = limit;
    this.#providerLimit = providerLimit;
  }

  /** The label for `model` served by `provider`; `answered` says the provider answered this request successfully. */
  label(provider: string, model: string, standing: ModelStanding, answered: boolean): string {
    if (standing === 'unlisted' || model.length > maxModelLabelLength) return otherModelLabel;
    if (standing === 'declared') return modelLabelValue(model);
    let models = this.#open.get(provider);
    const known = models?.get(model);
    if (known !== undefined) return known;
    if (!answered || this.#openCount >= this.#limit || (models?.size ?? 0) >= this.#providerLimit) return otherModelLabel;
    if (models === undefined) this.#open.set(provider, (models = new Map()));
    const value = modelLabelValue(model);
    models.set(model, value);
    this.#openCount++;
    return value;
  }
}
