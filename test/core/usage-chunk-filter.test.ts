import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageChunkFilter } from '../../src/pipeline/usage-chunk-filter.ts';

describe('UsageChunkFilter', () => {
  const content = 'data: {"choices":[{"index":0,"delta":{"content":"héllo ✓"}}]}\n\n';
  const usage = 'data: {"id":"x","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}\n\n';
  const done = 'data: [DONE]\n\n';

  it('drops only the usage-only event, whatever the byte splits', () => {
    const bytes = Buffer.from(content + usage + done);
    for (let offset = 0; offset <= bytes.length; offset++) {
      const filter = new UsageChunkFilter();
      const out = Buffer.concat([filter.push(bytes.subarray(0, offset)), filter.push(bytes.subarray(offset)), filter.end()]);
      assert.equal(out.toString('utf8'), content + done, `split at ${offset}`);
    }
  });

  it('cuts "usage": null from an event whose JSON goes over several data: lines (LF and CRLF), first, middle or last member, and the SDK still reads the same chunk', () => {
    const pretty = (members: string[], newline: string) => `data: {${newline}${members.map((member) => `data:   ${member}`).join(`,${newline}`)}${newline}data: }${newline}${newline}`;
    const id = '"id": "c1"';
    const choices = '"choices": [{"index": 0, "delta": {"content": "hi"}}]';
    const nullUsage = '"usage": null';
    for (const newline of ['\n', '\r\n']) {
      for (const members of [[nullUsage, id, choices], [id, nullUsage, choices], [id, choices, nullUsage]]) {
        const event = pretty(members, newline);
        const filter = new UsageChunkFilter();
        const out = Buffer.concat([filter.push(Buffer.from(event)), filter.end()]).toString('utf8');
        assert.ok(!out.includes('usage'), JSON.stringify(out));
        // Joined as an SSE client joins data lines, the JSON is the chunk without its usage member.
        const data = out.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).replace(/^ /, '')).join('\n');
        assert.deepEqual(JSON.parse(data), { id: 'c1', choices: [{ index: 0, delta: { content: 'hi' } }] }, JSON.stringify(out));
      }
    }
  });

  it('with "usage": null in every chunk (OpenAI once usage is asked for), drops the usage-only event and the null members, as OpenAI streams to a client that did not ask', () => {
    const withNull = (text: string) => text.replace('}]}', '}],"usage":null}');
    const nullContent = withNull(content);
    assert.ok(nullContent.includes('"usage":null'));
    const bytes = Buffer.from(nullContent + nullContent + usage + done);
    for (let offset = 0; offset <= bytes.length; offset++) {
      const filter = new UsageChunkFilter();
      const out = Buffer.concat([filter.push(bytes.subarray(0, offset)), filter.push(bytes.subarray(offset)), filter.end()]);
      assert.equal(out.toString('utf8'), content + content + done, `split at ${offset}`);
    }
    const piece = Buffer.from(content);
    assert.equal(new UsageChunkFilter().push(piece), piece, 'a chunk that names no usage goes out as the same bytes');
  });

  it('cuts "usage": null wherever the member stands and however it is spaced, and nothing that only looks like it', () => {
    const cases: Array<[string, string]> = [
      ['{"id":"a","usage":null,"choices":[]}', '{"id":"a","choices":[]}'],
      ['{"usage" : null , "choices":[]}', '{"choices":[]}'],
      ['{"choices":[] ,\n "usage": null\n}', '{"choices":[] \n}'],
      ['{"usage":null}', '{}'],
      ['{"choices":[{"delta":{"content":"\\"usage\\":null"}}]}', '{"choices":[{"delta":{"content":"\\"usage\\":null"}}]}'],
      ['{"usage":nullish}', '{"usage":nullish}'],
      ['{"usage":{"total_tokens":3}}', '{"usage":{"total_tokens":3}}'],
    ];
    for (const [input, expected] of cases) {
      const filter = new UsageChunkFilter();
      const out = Buffer.concat([filter.push(Buffer.from(`data: ${input}\n\n`)), filter.end()]).toString();
      assert.equal(out, `data: ${expected}\n\n`, input);
      if (expected.startsWith('{') && !expected.includes('nullish')) assert.doesNotThrow(() => JSON.parse(expected));
    }
  });

  it('keeps a content chunk that also carries usage', () => {
    const both = 'data: {"choices":[{"index":0,"delta":{}}],"usage":{"total_tokens":3}}\n\n';
    const filter = new UsageChunkFilter();
    assert.equal(Buffer.concat([filter.push(Buffer.from(both)), filter.end()]).toString(), both);
  });

  it('forwards CRLF-framed events as they complete and drops the usage-only one', () => {
    const crlf = (text: string) => text.replace(/\n/g, '\r\n');
    const filter = new UsageChunkFilter();
    assert.equal(filter.push(Buffer.from(crlf(content))).toString('utf8'), crlf(content), 'the first event goes out at once');
    const out = Buffer.concat([filter.push(Buffer.from(crlf(usage + done))), filter.end()]);
    assert.equal(out.toString('utf8'), crlf(done));
  });

  it('keeps a partial event in memory of its own, not a slice of the piece or of the shared pool', () => {
    const filter = new UsageChunkFilter();
    const piece = Buffer.from(content + done.slice(0, 7));
    assert.equal(filter.push(piece).toString('utf8'), content);
    const rest = filter.end();
    assert.equal(rest.toString('utf8'), done.slice(0, 7));
    assert.equal(rest.buffer.byteLength, rest.length, 'the held bytes own their memory');
    const again = new UsageChunkFilter();
    assert.equal(again.push(Buffer.from('data: {"cho')).length, 0);
    assert.equal(again.push(Buffer.from('ices":')).length, 0);
    const held = again.end();
    assert.equal(held.toString('utf8'), 'data: {"choices":');
    assert.equal(held.buffer.byteLength, held.length);
  });

  it('with dropUsage false, passes every byte on in whole events (LF, CRLF or CR-only framing), holding only the event in progress', () => {
    const whole = content + usage + done;
    for (const framing of [(text: string) => text, (text: string) => text.replace(/\n/g, '\r\n'), (text: string) => text.replace(/\n/g, '\r')]) {
      const bytes = Buffer.from(framing(whole));
      for (const size of [1, 7, 64, bytes.length]) {
        const filter = new UsageChunkFilter(false);
        const out: Buffer[] = [];
        for (let at = 0; at < bytes.length; at += size) {
          const sent = filter.push(bytes.subarray(at, at + size));
          // Whatever went out ends on an event's blank line: an error event written now would stand alone.
          if (sent.length > 0) assert.match(sent.toString('latin1'), /(\n\n|\r\n\r\n|\r\r)$/);
          out.push(sent);
        }
        out.push(filter.end());
        assert.ok(Buffer.concat(out).equals(bytes), `every byte, in order (${size}-byte pieces)`);
      }
    }
  });
});
