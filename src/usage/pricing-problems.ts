import { PriceCatalog, shippedCatalog, type PricedProvider } from './price-catalog.ts';
import type { PricingConfig } from './pricing-config.ts';
import { serviceTierNames } from './service-tier-names.ts';

/**
 * The `pricing:` entries that would price nothing, as config problems naming their path:
 * - a key that is neither a configured provider's name nor a provider type (`providerTypes`, and
 *   the shipped catalog's types): no call is priced under it, so a misspelt provider name would
 *   leave the catalogue's price (or $0) in place while its operator thinks it priced;
 * - an entry with only `input` or only `output` for a model the shipped catalog lacks (its other
 *   price has nowhere to come from, so the model would be recorded at $0), and a `"*"` entry
 *   without both (it prices only models the catalog lacks);
 * - a `service_tiers` name the provider's answers never carry (service-tier-names.ts): OpenAI's
 *   `turbo`, or any tier of a type the gateway reads no tier from.
 * `providers` are the configured ones, by which a `pricing:` key that names a provider gets its
 * type's catalog and tiers.
 */
export function pricingProblems(pricing: PricingConfig, providers: Iterable<PricedProvider>, providerTypes: Iterable<string>): string[] {
  const typesByName = new Map<string, string>();
  for (const provider of providers) typesByName.set(provider.name, provider.type);
  const shipped = shippedCatalog();
  const knownTypes = new Set([...providerTypes, ...Object.keys(shipped.providers)]);
  const catalog = new PriceCatalog(shipped);
  const problems: string[] = [];
  for (const [key, models] of Object.entries(pricing)) {
    const type = typesByName.get(key) ?? (knownTypes.has(key) ? key : undefined);
    if (type === undefined) {
      const names = [...typesByName.keys()].sort();
      problems.push(`pricing.${key}: no provider is named '${key}' and no provider type is, so these prices would apply to no call; write a provider name from providers: (${names.length > 0 ? names.join(', ') : 'none configured'}) or a provider type (${[...knownTypes].sort().join(', ')})`);
      continue;
    }
    const provider = { name: key, type };
    const tiers = serviceTierNames(type);
    for (const [model, entry] of Object.entries(models)) {
      const missing = [entry.input === undefined ? 'input' : null, entry.output === undefined ? 'output' : null].filter((field) => field !== null);
      if (missing.length > 0) {
        if (model === '*') {
          problems.push(`pricing.${key}."*": a provider-wide price applies only to models the price catalog lacks, so it needs both input and output (${missing.join(' and ')} missing)`);
        } else if (catalog.lookup(provider, model) === null) {
          problems.push(`pricing.${key}.${model}: the price catalog has no entry for this model (provider type ${type}), so it needs both input and output (${missing.join(' and ')} missing); without them its calls would be recorded at $0`);
        }
      }
      for (const tier of Object.keys(entry.service_tiers ?? {})) {
        const path = `pricing.${key}.${model === '*' ? '"*"' : model}.service_tiers.${tier}`;
        if (tiers === 'none') problems.push(`${path}: the gateway reads no service tier from the answers of provider type ${type}, so tier prices would apply to no call`);
        else if (tiers !== 'any' && !tiers.includes(tier)) problems.push(`${path}: ${type} answers never name the tier '${tier}' in service_tier (they name ${tiers.join(', ')}), so these prices would apply to no call`);
      }
    }
  }
  return problems;
}
