import { BlockList, isIP } from 'node:net';
import { compileGlob, isGlob, type Glob } from '../routing/glob.ts';

/** What a key may do, compiled once when the key is loaded; null means "no restriction". */
export interface KeyRules {
  models: ((model: string) => boolean) | null;
  ips: ((ip: string | undefined) => boolean) | null;
}

// Many keys share the same few patterns ('gpt-4o*'): compile each pattern once.
const compiledGlobs = new Map<string, Glob>();

function globFor(pattern: string): Glob {
  let compiled = compiledGlobs.get(pattern);
  if (!compiled) {
    compiled = compileGlob(pattern);
    compiledGlobs.set(pattern, compiled);
  }
  return compiled;
}

function nameMatcher(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set(patterns.filter((pattern) => !isGlob(pattern)));
  const globs = patterns.filter(isGlob).map(globFor);
  return (name) => exact.has(name) || globs.some((glob) => glob.test(name));
}

/**
 * A key's model allow-list. A pattern with a provider (`openai/gpt-4o*`) matches the name as the
 * client sent it; one without (`gpt-4o*`, an alias) matches that name too, and the model part of a
 * `provider/model` name: a key limited to `gpt-4o*` may call `openai/gpt-4o-mini` (and see it in
 * /v1/models), as it may call the plain `gpt-4o-mini`.
 */
export function compileModelRule(patterns: readonly string[]): KeyRules['models'] {
  if (patterns.length === 0) return null;
  const wholeName = nameMatcher(patterns);
  const withoutProvider = patterns.filter((pattern) => !pattern.includes('/'));
  const modelPart = withoutProvider.length === 0 ? null : nameMatcher(withoutProvider);
  return (model) => {
    if (wholeName(model)) return true;
    const slash = model.indexOf('/');
    return modelPart !== null && slash > 0 && modelPart(model.slice(slash + 1));
  };
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is matched as `10.0.0.1`. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/** True for an IP address or a CIDR block (v4 or v6). */
export function isIpOrCidr(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d+$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}

/** An allow-list of addresses and CIDRs. Entries that do not parse allow nothing (fail closed). */
export function compileIpRule(entries: readonly string[]): KeyRules['ips'] {
  if (entries.length === 0) return null;
  const allowed = new BlockList();
  for (const entry of entries) {
    if (!isIpOrCidr(entry)) continue;
    const [address, bits] = entry.split('/');
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) allowed.addAddress(address, type);
    else allowed.addSubnet(address, Number(bits), type);
  }
  return (ip) => {
    if (ip === undefined) return false;
    const address = normalizeIp(ip);
    const family = isIP(address);
    return family !== 0 && allowed.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}

// Keys share allow-lists (often the very same frozen array from the store): compile each once.
const compiledModelRules = new Map<string, KeyRules['models']>();
const compiledIpRules = new Map<string, KeyRules['ips']>();

function memoized<R>(cache: Map<string, R>, entries: readonly string[], compile: (entries: readonly string[]) => R): R {
  if (entries.length === 0) return compile(entries);
  const cacheKey = entries.join('\n');
  let rule = cache.get(cacheKey);
  if (rule === undefined) {
    if (cache.size >= 10_000) cache.clear();
    rule = compile(entries);
    cache.set(cacheKey, rule);
  }
  return rule;
}

export function compileRules(models: readonly string[], ips: readonly string[]): KeyRules {
  return { models: memoized(compiledModelRules, models, compileModelRule), ips: memoized(compiledIpRules, ips, compileIpRule) };
}
