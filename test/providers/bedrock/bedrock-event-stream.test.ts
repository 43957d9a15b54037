import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStreamDecoder, type EventStreamMessage } from '../../../src/providers/bedrock/bedrock-event-stream.ts';
import { encodeEventStream, streamBytes, streamFixtureNames, streamFrames } from './event-stream-fixtures.ts';

function decodeAll(pieces: Uint8Array[]): EventStreamMessage[] {
  const decoder = new EventStreamDecoder();
  const messages = pieces.flatMap((piece) => decoder.push(piece));
  decoder.end();
  return messages;
}

describe('stream fixtures', () => {
  for (const name of streamFixtureNames) {
    it(`${name}.bin is its .json encoded (run write-stream-fixtures.ts after editing a .json)`, () => {
      assert.ok(streamBytes(name).equals(encodeEventStream(streamFrames(name))));
    });
  }
});

describe('EventStreamDecoder', () => {
  it('decodes each frame: message type, event or exception type, JSON payload', () => {
    const messages = decodeAll([streamBytes('exception-midway')]);
    assert.deepEqual(
      messages.map((message) => [message.messageType, message.eventType, message.errorType]),
      [
        ['event', 'messageStart', undefined],
        ['event', 'contentBlockDelta', undefined],
        ['exception', undefined, 'modelStreamErrorException'],
      ],
    );
    assert.deepEqual(JSON.parse(messages[1].payload), { contentBlockIndex: 0, delta: { text: 'The first part arrives, then' }, p: 'abcdefghijklmnopqrstu' });
  });

  for (const name of streamFixtureNames) {
    it(`${name}: split at every byte offset, and one byte at a time, decodes the same`, () => {
      const bytes = streamBytes(name);
      const whole = JSON.stringify(decodeAll([bytes]));
      assert.equal(JSON.parse(whole).length, streamFrames(name).length);
      for (let offset = 1; offset < bytes.length; offset++) {
        const split = JSON.stringify(decodeAll([bytes.subarray(0, offset), bytes.subarray(offset)]));
        if (split !== whole) assert.equal(split, whole, `split at byte ${offset}`);
      }
      assert.equal(JSON.stringify(decodeAll([...bytes].map((byte) => Uint8Array.of(byte)))), whole);
    });
  }

  it('multi-byte UTF-8 split across pieces comes out whole', () => {
    const bytes = encodeEventStream([{ eventType: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: '東京 🌸 café' } } }]);
    const cut = bytes.indexOf(Buffer.from('🌸')) + 2;
    const [message] = decodeAll([bytes.subarray(0, cut), bytes.subarray(cut)]);
    assert.equal(JSON.parse(message.payload).delta.text, '東京 🌸 café');
  });

  it('a corrupted byte fails the CRC check', () => {
    const bytes = Buffer.from(streamBytes('text'));
    bytes[40] ^= 0x01;
    assert.throws(() => decodeAll([bytes]), /checksum/i);
  });

  it('a stream cut inside a message fails at the end; an absurd length fails at once', () => {
    const bytes = streamBytes('text');
    const decoder = new EventStreamDecoder();
    assert.equal(decoder.push(bytes.subarray(0, bytes.length - 3)).length, 6);
    assert.throws(() => decoder.end(), /ended inside a message \(\d+ bytes left\)/);
    assert.throws(() => new EventStreamDecoder().push(Buffer.from('HTTP/1.1 200 OK\r\n')), /declares \d+ bytes/);
  });

  it('an unmodelled error message carries its code and message headers', async () => {
    const { EventStreamCodec } = await import('@smithy/eventstream-codec');
    const { fromUtf8, toUtf8 } = await import('@smithy/util-utf8');
    const bytes = new EventStreamCodec(toUtf8, fromUtf8).encode({
      headers: { ':message-type': { type: 'string', value: 'error' }, ':error-code': { type: 'string', value: 'InternalFailure' }, ':error-message': { type: 'string', value: 'boom' } },
      body: new Uint8Array(0),
    });
    const [message] = decodeAll([bytes]);
    assert.deepEqual([message.messageType, message.errorType, JSON.parse(message.payload)], ['error', 'InternalFailure', { message: 'boom' }]);
  });
});
