import { randomBytes } from 'node:crypto';
import { generateKeySecret, hashKeySecret, keyDisplayParts } from '../../src/identity/key-secret.ts';
import type { KyselyStore } from '../../src/store/kysely-store.ts';

/**
 * Writes `count` keys straight into the tables in one transaction (the API would take one
 * transaction per key), for load-time measurements. Returns a few secrets to try.
 */
export async function insertKeysInBulk(store: KyselyStore, count: number): Promise<{ consumerId: string; samples: string[] }> {
  const consumer = await store.createConsumer({ name: `bulk-${Date.now()}` }, 'bulk');
  const samples: string[] = [];
  const batch = randomBytes(4).toString('hex');
  const at = new Date().toISOString();
  await store.db.transaction().execute(async (transaction) => {
    const { revision } = await transaction.selectFrom('identity_revision').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
    for (let start = 0; start < count; start += 1000) {
      const rows = [];
      for (let index = start; index < Math.min(count, start + 1000); index++) {
        const secret = generateKeySecret();
        if (index % 20_000 === 0) samples.push(secret);
        const display = keyDisplayParts(secret);
        rows.push({
          id: `key_bulk${batch}${String(index).padStart(8, '0')}`,
          key_hash: hashKeySecret(secret),
          key_prefix: display.prefix,
          key_last4: display.last4,
          name: null,
          consumer_id: consumer.id,
          team_id: null,
          models: index % 2 === 0 ? '["gpt-4o*"]' : '[]',
          ips: '[]',
          limits: '{"rpm":60}',
          budget: null,
          metadata: '{"tier":"bulk"}',
          expires_at: null,
          enabled: 1,
          created_at: at,
          updated_at: at,
          last_used_at: null,
          revision: Number(revision),
        });
      }
      await transaction.insertInto('virtual_keys').values(rows).execute();
    }
  });
  return { consumerId: consumer.id, samples };
}
