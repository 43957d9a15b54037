import { z } from 'zod';
import { isIpOrCidr } from '../../identity/key-rules.ts';

/** One entry of a key's IP allow-list: an address or a CIDR block (the Admin API's keys take the same). */
export const ipEntrySchema = z.string().refine(isIpOrCidr, { message: 'expected an IP address or a CIDR block such as 10.0.0.0/8' });

export const declaredKeySchema = z
  .object({
    key: z.string().describe('The key itself, usually "${ENV_VAR}"; an empty value (an unset variable) skips the entry with a warning.'),
    consumer: z.string().min(1).describe('The consumer this key identifies (ctx.caller.consumer).'),
    team: z.string().optional().describe('The team the consumer belongs to (ctx.caller.team).'),
    models: z.array(z.string().min(1)).default([]).describe('Model names or globs this key may call; empty: any.'),
    ips: z.array(ipEntrySchema).default([]).describe('Client IPs or CIDRs this key may be used from; empty: any.'),
    metadata: z.record(z.string(), z.string()).default({}).describe('Attributes passed on as ctx.caller.metadata (e.g. tier).'),
    expires_at: z.iso.datetime({ offset: true }).optional().describe('After this instant the key is refused.'),
  })
  .strict();

export const keyAuthConfigSchema = z
  .object({
    keys: z.array(declaredKeySchema).default([]).describe('Keys declared in the config (DB-less use); checked before the keys in the store.'),
  })
  .strict()
  .superRefine((config, context) => {
    // A key string names one caller: declared twice, the later entry would silently win.
    const first = new Map<string, number>();
    config.keys.forEach((entry, index) => {
      if (entry.key === '') return;
      const earlier = first.get(entry.key);
      if (earlier === undefined) first.set(entry.key, index);
      else context.addIssue({ code: 'custom', path: ['keys', index, 'key'], message: `the same key as keys[${earlier}] (each key identifies one caller)` });
    });
  });

export type KeyAuthConfig = z.infer<typeof keyAuthConfigSchema>;
export type DeclaredKey = z.infer<typeof declaredKeySchema>;
