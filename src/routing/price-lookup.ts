/** What lowest-cost and context-length fallbacks know about a model. Prices are per million tokens. */
export interface ModelPrice {
  inputPerMTok?: number;
  outputPerMTok?: number;
  contextWindow?: number;
}

/**
 * Where prices come from when a target does not carry its own overrides: the price catalog in
 * src/usage/ plugs in here (Router.build's `prices` option). Looked up once per target at config
 * load, never per request.
 */
export interface PriceLookup {
  lookup(provider: { name: string; type: string }, model: string): ModelPrice | undefined;
}

/** Target overrides win field by field; the catalog fills the rest. */
export function resolvePrice(overrides: ModelPrice, catalog: ModelPrice | undefined): ModelPrice {
  return {
    inputPerMTok: overrides.inputPerMTok ?? catalog?.inputPerMTok,
    outputPerMTok: overrides.outputPerMTok ?? catalog?.outputPerMTok,
    contextWindow: overrides.contextWindow ?? catalog?.contextWindow,
  };
}
