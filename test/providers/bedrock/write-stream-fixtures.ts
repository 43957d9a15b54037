/**
 * Regenerates test/fixtures/bedrock/streams/<name>.bin from <name>.json after a fixture changes:
 * node_modules/.bin/node test/providers/bedrock/write-stream-fixtures.ts
 * (bedrock-fixtures.test.ts fails while a .bin and its .json disagree).
 */
import { writeFileSync } from 'node:fs';
import { encodeEventStream, streamFixtureNames, streamFrames } from './event-stream-fixtures.ts';

for (const name of streamFixtureNames) {
  writeFileSync(new URL(`../../fixtures/bedrock/streams/${name}.bin`, import.meta.url), encodeEventStream(streamFrames(name)));
}
