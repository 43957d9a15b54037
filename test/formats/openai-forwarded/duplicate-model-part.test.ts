import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

describe('an upload form with two model parts', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"text":"hi"}');
    });
    gw = await startGateway(`providers:\n  up: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: "sk-operator" }\n`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const upload = (models: string[]) => {
    const form = new FormData();
    for (const model of models) form.append('model', model);
    form.append('file', new Blob([Buffer.from('RIFF')], { type: 'audio/wav' }), 'a.wav');
    return fetch(`${gw.baseURL}/audio/transcriptions`, { method: 'POST', body: form });
  };

  it('is refused with 400 and never forwarded: the gateway and an upstream could read different models', async () => {
    const response = await upload(['up/gpt-4o-mini-transcribe', 'up/gpt-4o-transcribe']);
    assert.equal(response.status, 400);
    assert.ok(response.headers.get('x-request-id'));
    const { error } = (await response.json()) as { error: { param: string; message: string } };
    assert.equal(error.param, 'model');
    assert.match(error.message, /more than one `model`/);
    assert.equal(upstream.requests.length, 0);
    assert.equal((await upload(['up/gpt-4o-mini-transcribe'])).status, 200);
    assert.equal(upstream.requests.length, 1);
  });
});

// The sec3 audit, finding 2: a part the gateway did not read as `model` that undici (Node's own
// formData()) or werkzeug does was forwarded beside the checked one. Each form below carries the
// checked `model` and a second part such a parser takes as `model`; each is refused before the upstream.
describe('an upload form whose parts could be read two ways', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"text":"hi"}');
    });
    gw = await startGateway(`providers:\n  up: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: "sk-operator" }\n`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const boundary = 'smuggle-boundary';
  const contentType = `multipart/form-data; boundary=${boundary}`;
  /** A form: the checked model, a second part with these header lines (value whisper-1), and the file. */
  const form = (smuggledHeaders: string): string =>
    `--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nup/gpt-4o-mini-transcribe\r\n` +
    `--${boundary}\r\n${smuggledHeaders}\r\n\r\nwhisper-1\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF\r\n--${boundary}--\r\n`;
  const post = (body: string) => fetch(`${gw.baseURL}/audio/transcriptions`, { method: 'POST', headers: { 'content-type': contentType }, body });

  const smuggled: Record<string, string> = {
    'name given twice': 'Content-Disposition: form-data; name="x"; name="model"',
    'name given twice, in another case': 'Content-Disposition: form-data; name="x"; NAME="model"',
    'name*': 'Content-Disposition: form-data; name="x"; name*=utf-8\'\'model',
    'a parameter without its semicolon': 'Content-Disposition: form-data; name="x" name="model"',
    'a backslash before a quote': 'Content-Disposition: form-data; name="x\\"; name="model"',
    'Content-Disposition twice': 'Content-Disposition: form-data; name="x"\r\nContent-Disposition: form-data; name="model"',
    'Content-Disposition twice, the second with space before its colon': 'Content-Disposition: form-data; name="x"\r\nContent-Disposition : form-data; name="model"',
    'filename given twice': 'Content-Disposition: form-data; name="x"; filename="a"; filename="b"',
  };

  for (const [name, headers] of Object.entries(smuggled)) {
    it(`refuses ${name} with 400 and forwards nothing`, async () => {
      const response = await post(form(headers));
      assert.equal(response.status, 400, name);
      assert.ok(response.headers.get('x-request-id'));
      const { error } = (await response.json()) as { error: { type: string; message: string } };
      assert.equal(error.type, 'invalid_request_error');
      assert.match(error.message, /multipart\/form-data body is malformed/);
      assert.equal(upstream.requests.length, 0);
    });
  }

  it('where undici reads the form at all, it reads two models: the cases are real', async () => {
    for (const headers of [smuggled['name given twice'], smuggled['name*'], smuggled['a parameter without its semicolon'], smuggled['a backslash before a quote'], smuggled['Content-Disposition twice']]) {
      const entries = await new Response(form(headers), { headers: { 'content-type': contentType } }).formData();
      assert.deepEqual(entries.getAll('model'), ['up/gpt-4o-mini-transcribe', 'whisper-1'], headers);
    }
  });

  it('still forwards a well-formed form, with the parameter names in any case and a filename*', async () => {
    const body = form('Content-Disposition: form-data; name="language"').replace('name="file"; filename="a.wav"', 'NAME=file; Filename*=UTF-8\'\'a%20b.wav');
    const response = await post(body);
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(upstream.requests.length, 1);
  });
});
