/** The `model` label for a model the gateway has not seen answered, or once the limit is reached. */
export const otherModelLabel = 'other';

/** Distinct model labels kept per process; a deployment's real models are far fewer. */
export const defaultModelLabelLimit = 500;

/** The longest model name that becomes a label; real ones are far shorter (a 9 KB name was one). */
export const maxModelLabelLength = 128;

/**
 * Bounds the `model` label of the request and token metrics. A model name is the client's to
 * write (`openai/<anything>`), and every distinct label value is a series that lives as long as
 * the process (and in Prometheus): a model becomes a label value only once a provider has answered
 * a request for it, at most `limit` of them and none longer than 128 characters; anything else
 * counts under `other`. So a client
 * cannot grow /metrics with names a provider refused (404 `model_not_found`), nor without bound
 * with names one accepts (a server that ignores the model field).
 */
export class ModelLabels {
  readonly #known = new Set<string>();
  readonly #limit: number;

  constructor(limit = defaultModelLabelLimit) {
    this.#limit = limit;
  }

  /** The label for `model`; `answered` says a provider answered this request successfully. */
  label(model: string, answered: boolean): string {
    if (this.#known.has(model)) return model;
    if (!answered || this.#known.size >= this.#limit || model.length > maxModelLabelLength) return otherModelLabel;
    this.#known.add(model);
    return model;
  }
}
