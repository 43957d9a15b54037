import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { formBoundary, piecesWithReplacedRange, readFormParts } from '../../../src/formats/openai-forwarded/multipart-form.ts';
import { parseUploadForm } from '../../../src/formats/openai-forwarded/parse-upload-form.ts';

const boundary = 'xYz-123';
const file = Buffer.from([0, 13, 10, 45, 45, 255, 13, 10, 13, 10, 1]); // CR LF and dashes inside the file
const body = Buffer.concat([
  Buffer.from(`preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nopenai/whisper-1\r\n`),
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a b.wav"\r\nContent-Type: audio/wav\r\n\r\n`),
  file,
  Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="stream"\r\n\r\ntrue\r\n--${boundary}--\r\n`),
]);

describe('multipart form reading and the model rewrite', () => {
  it('finds the boundary of a form Content-Type, quoted or not', () => {
    assert.equal(formBoundary(`multipart/form-data; boundary=${boundary}`), boundary);
    assert.equal(formBoundary('multipart/form-data; charset=utf-8; boundary="a b"'), 'a b');
    assert.equal(formBoundary('application/json'), null);
    assert.equal(formBoundary(undefined), null);
  });

  it('reads every part by position, the file bytes exactly', () => {
    const parts = readFormParts(body, boundary);
    assert.deepEqual(parts.map((part) => [part.name, part.filename]), [['model', undefined], ['file', 'a b.wav'], ['stream', undefined]]);
    assert.ok(body.subarray(parts[1].start, parts[1].end).equals(file));
    assert.equal(body.toString('utf8', parts[0].start, parts[0].end), 'openai/whisper-1');
  });

  it('a request: model, stream and the model range; the rewrite changes only that value', () => {
    const request = parseUploadForm('transcriptions', body, `multipart/form-data; boundary=${boundary}`);
    assert.equal(request.model, 'openai/whisper-1');
    assert.equal(request.stream, true);
    const pieces = piecesWithReplacedRange(body, request.form.modelStart, request.form.modelEnd, 'whisper-1');
    assert.ok(Buffer.concat(pieces).equals(Buffer.from(body.toString('latin1').replace('openai/whisper-1', 'whisper-1'), 'latin1')));
    // The body's bytes are not copied: the pieces around the value are views of it.
    assert.equal(pieces[0].buffer, body.buffer);
    assert.equal(pieces[2].buffer, body.buffer);
    assert.equal(pieces[1].buffer.byteLength, pieces[1].length, 'the new value in memory of its own, not a slice of the shared pool');
  });

  it('refuses a body that is not a form or misses a part, with 400', () => {
    const refused = (run: () => unknown, param?: string) =>
      assert.throws(run, (error: unknown) => error instanceof GatewayError && error.status === 400 && (param === undefined || error.param === param));
    refused(() => parseUploadForm('transcriptions', body, 'application/json'));
    refused(() => parseUploadForm('transcriptions', Buffer.from('no boundary here'), `multipart/form-data; boundary=${boundary}`));
    refused(() => parseUploadForm('transcriptions', body.subarray(0, body.length - 20), `multipart/form-data; boundary=${boundary}`));
    const noFile = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nm\r\n--${boundary}--\r\n`);
    refused(() => parseUploadForm('transcriptions', noFile, `multipart/form-data; boundary=${boundary}`), 'file');
    const noModel = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nx\r\n--${boundary}--\r\n`);
    refused(() => parseUploadForm('transcriptions', noModel, `multipart/form-data; boundary=${boundary}`), 'model');
  });
});
