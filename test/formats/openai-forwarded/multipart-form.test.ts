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

  // RFC 7578 §4.2 / RFC 6266 §4.1, read strictly where parsers part (the sec3 audit, finding 2).
  const withHeaders = (headers: string) => Buffer.from(`--${boundary}\r\n${headers}\r\n\r\nv\r\n--${boundary}--\r\n`);
  const firstPart = (headers: string) => {
    const [part] = readFormParts(withHeaders(headers), boundary);
    return [part.name, part.filename];
  };

  it('reads a Content-Disposition by its grammar: any case, tokens or quoted values, filename*', () => {
    assert.deepEqual(firstPart('Content-Disposition: form-data; name="model"'), ['model', undefined]);
    assert.deepEqual(firstPart('content-disposition:Form-Data;NAME=model;  FileName="a;b.wav"  '), ['model', 'a;b.wav']);
    assert.deepEqual(firstPart('Content-Disposition: form-data; name="file"; filename*=UTF-8\'\'a%20b.wav'), ['file', "UTF-8''a%20b.wav"]);
    assert.deepEqual(firstPart('Content-Disposition: form-data; name="file"; filename="a.wav"; filename*=UTF-8\'\'a.wav'), ['file', 'a.wav']);
    assert.deepEqual(firstPart("Content-Disposition: form-data; name='model'"), ["'model'", undefined], 'single quotes are token characters, not quoting (undici reads the same)');
    assert.deepEqual(firstPart('Content-Disposition: form-data; name="a; name=model"'), ['a; name=model', undefined]);
    assert.deepEqual(firstPart('Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\nContent-Disposition: form-data; name="model"'), ['model', undefined]);
  });

  it('refuses with 400 a part whose headers parsers read differently', () => {
    for (const headers of [
      'Content-Disposition: form-data; name="x"; name="model"',
      'Content-Disposition: form-data; name=x; Name="model"',
      'Content-Disposition: form-data; name="file"; filename="a"; FILENAME="b"',
      'Content-Disposition: form-data; name="x"; charset="a"; charset="b"',
      "Content-Disposition: form-data; name*=UTF-8''model",
      'Content-Disposition: form-data; name="x" name="model"',
      'Content-Disposition: form-data; name="x\\"; name="model"',
      'Content-Disposition: form-data; name="mod\\el"',
      'Content-Disposition: form-data; name = "model"',
      'Content-Disposition: form-data; name="model',
      'Content-Disposition: form-data; name=',
      'Content-Disposition: attachment; name="model"',
      'Content-Disposition: form-data',
      'Content-Disposition: form-data; name="x"\r\nContent-Disposition: form-data; name="model"',
      'Content-Disposition: form-data; name="x"\r\n content-disposition: form-data; name="model"',
      'Content-Disposition: form-data; name="x"\r\nContent-Disposition : form-data; name="model"',
      'Content-Disposition: form-data; name="x"\nContent-Disposition: form-data; name="model"',
      'Content-Disposition: form-data; name="model"\r\nContent-Transfer-Encoding: base64',
      'Content-Disposition: form-data;\u00a0name="model"',
      'no colon here',
    ]) {
      assert.throws(() => readFormParts(withHeaders(headers), boundary), (error: unknown) => error instanceof GatewayError && error.status === 400 && /malformed/.test(error.message), headers);
    }
  });
});
