import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Selectable } from 'kysely';
import type { Database } from '../../../src/store/database-schema.ts';
import type { RunningGateway } from '../../helpers/start-gateway.ts';
import { databaseOf } from '../../ledger/ledger-helpers.ts';

/**
 * The usage-ledger record of one request. The log phase runs after the response is sent, so
 * this waits (up to a second) for the record to be queued, then flushes the ledger and reads it.
 */
export async function ledgerRecord(gateway: RunningGateway, requestId: string): Promise<Selectable<Database['usage_records']>> {
  const db = databaseOf(gateway.gateway.identity.store);
  for (let attempt = 0; attempt < 50; attempt++) {
    await gateway.gateway.usageLedger.flush();
    const rows = await db.selectFrom('usage_records').selectAll().where('request_id', '=', requestId).execute();
    if (rows.length > 0) {
      assert.equal(rows.length, 1);
      return rows[0];
    }
    await sleep(20);
  }
  assert.fail(`no usage record for request ${requestId}`);
}
