import { PriceCatalog, shippedCatalog, type PricedProvider } from './price-catalog.ts';
import type { PricingConfig } from './pricing-config.ts';

/**
 * The `pricing:` entries that would price nothing, as config problems naming their path: an entry
 * with only `input` or only `output` for a model the shipped catalog lacks (its other price has
 * nowhere to come from, so the model would be recorded at $0 while its operator thinks it priced),
 * and a `"*"` entry without both (it prices only models the catalog lacks). `providers` are the
 * configured ones, by which a `pricing:` key that names a provider gets its type's catalog.
 */
export function pricingProblems(pricing: PricingConfig, providers: Iterable<PricedProvider>): string[] {
  const typesByName = new Map<string, string>();
  for (const provider of providers) typesByName.set(provider.name, provider.type);
  const catalog = new PriceCatalog(shippedCatalog());
  const problems: string[] = [];
  for (const [key, models] of Object.entries(pricing)) {
    const provider = { name: key, type: typesByName.get(key) ?? key };
    for (const [model, entry] of Object.entries(models)) {
      const missing = [entry.input === undefined ? 'input' : null, entry.output === undefined ? 'output' : null].filter((field) => field !== null);
      if (missing.length === 0) continue;
      if (model === '*') {
        problems.push(`pricing.${key}."*": a provider-wide price applies only to models the price catalog lacks, so it needs both input and output (${missing.join(' and ')} missing)`);
      } else if (catalog.lookup(provider, model) === null) {
        problems.push(`pricing.${key}.${model}: the price catalog has no entry for this model (provider type ${provider.type}), so it needs both input and output (${missing.join(' and ')} missing); without them its calls would be recorded at $0`);
      }
    }
  }
  return problems;
}
