import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapPieces, readFixture, streamFixtureNames } from './run-stream-fixture.ts';

// TCP splits a stream anywhere, including inside a multi-byte UTF-8 character or a `\n\n`.
// Whatever the split, the chunks (and any in-stream error) must be the same.
for (const name of streamFixtureNames) {
  test(`${name}.sse split at every byte offset maps identically`, async () => {
    const bytes = readFixture(`streams/${name}.sse`);
    const whole = JSON.stringify(await mapPieces([bytes]));
    for (let offset = 1; offset < bytes.length; offset++) {
      const split = JSON.stringify(await mapPieces([bytes.subarray(0, offset), bytes.subarray(offset)]));
      if (split !== whole) assert.equal(split, whole, `split at byte ${offset}`);
    }
    const byteByByte = [...bytes].map((byte) => Buffer.from([byte]));
    assert.equal(JSON.stringify(await mapPieces(byteByByte)), whole, 'one byte at a time');
  });
}

test('the utf8 fixture really splits characters: it holds 3- and 4-byte sequences', () => {
  const bytes = readFixture('streams/utf8.sse');
  assert.ok(bytes.includes(Buffer.from('東京')) && bytes.includes(Buffer.from('🌸')));
  assert.ok(bytes.length > bytes.toString('latin1').replace(/[^\x00-\x7f]/g, '').length);
});
