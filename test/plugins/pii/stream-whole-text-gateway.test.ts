import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

// Decisions that rest on more than a value's neighbourhood, streamed: a question at the start that
// a first-person sentence further down turns into someone's letter, an SQL column list or a CSV
// header far above the value, a list of names still going on, a chat header line waiting for its
// message. A streamed answer must reach the client as the non-streamed one does (response: redact),
// at 1- and 5-character chunks and in token-sized pieces.

/** The pieces a model's tokenizer might stream: words, number groups and punctuation, 1-3 per chunk. */
function tokenPieces(text: string): string[] {
  const tokens = text.match(/ ?\p{L}{1,5}| ?\p{N}{1,3}| ?[^\s\p{L}\p{N}]+|\s+/gu) ?? [];
  const pieces: string[] = [];
  for (let index = 0, size = 1; index < tokens.length; index += size, size = (size % 3) + 1) pieces.push(tokens.slice(index, index + size).join(''));
  return pieces;
}

function piecesOf(answer: string, model: string): string[] {
  if (model.endsWith('tok')) return tokenPieces(answer);
  const size = Number(model.slice(model.lastIndexOf('c') + 1));
  const characters = Array.from(answer);
  const pieces: string[] = [];
  for (let index = 0; index < characters.length; index += size) pieces.push(characters.slice(index, index + size).join(''));
  return pieces;
}

interface Streamed {
  text: string;
  error?: { code: string };
}

function readStream(body: string): Streamed {
  let text = '';
  for (const event of body.split('\n\n')) {
    const data = event.split('\n').find((line) => line.startsWith('data: '))?.slice(6);
    if (!data || data === '[DONE]') continue;
    const parsed = JSON.parse(data) as { error?: { code: string }; choices?: Array<{ delta?: { content?: string } }> };
    if (parsed.error) return { text, error: parsed.error };
    text += parsed.choices?.[0]?.delta?.content ?? '';
  }
  return { text };
}

/** Answers (written for this test) and what the non-streamed answer must be. */
const answers: ReadonlyArray<readonly [answer: string, redacted: string]> = [
  // A question first, then a letter whose writer speaks of themselves only after the address.
  [
    'Is this letter fine?\n\nJoanna Wisniewska\n27 Larkspur Lane, Bristol BS6 5QT\njoanna.w@example.net\n\nDear Ms Patel, I am writing about the analyst post.',
    'Is this letter fine?\n\nJoanna Wisniewska\n[ADDRESS]\n[EMAIL]\n\nDear Ms Patel, I am writing about the analyst post.',
  ],
  [
    'Does this read well?\n\nLea Tremblay\n4410 Rue Saint-Denis, Montréal, QC H2J 2L1\n\nBonjour, je suis Lea and I would like to join the team.',
    'Does this read well?\n\nLea Tremblay\n[ADDRESS]\n\nBonjour, je suis Lea and I would like to join the team.',
  ],
  // The same question with no one speaking of themselves: a famous address, left alone both ways.
  ['Who lives at 10 Downing Street, and since when has it been the official residence?', 'Who lives at 10 Downing Street, and since when has it been the official residence?'],
  // An SQL column list and a CSV header more than a line above the value they name.
  [
    "INSERT INTO patients (id, full_name, email, phone, date_of_birth) VALUES (88, 'Tomasz Nowak', 'tomasz.nowak@example.org', '+48 601 234 567', '14/09/1979');",
    "INSERT INTO patients (id, full_name, email, phone, date_of_birth) VALUES (88, 'Tomasz Nowak', '[EMAIL]', '[PHONE]', '[DATE_OF_BIRTH]');",
  ],
  [
    'ticket,opened,status,mobile,notes\n1001,2025-03-02,open,4155550132,asked for a callback\n1002,2025-03-02,closed,4155550178,none\n1003,2025-03-03,open,4155550199,urgent',
    'ticket,opened,status,mobile,notes\n1001,2025-03-02,open,[PHONE],asked for a callback\n1002,2025-03-02,closed,[PHONE],none\n1003,2025-03-03,open,[PHONE],urgent',
  ],
  // A UK licence number counts in a text that speaks of a licence, which this one does only after it.
  ['Found this in the car: GARRI753271DF9SY, is it her driving licence? Let me know.', 'Found this in the car: [DRIVERS_LICENSE], is it her driving licence? Let me know.'],
  // A password named after an account's address that is still being typed.
  ['La contraseña del correo lucia.ferrer@mail.example.org es Qw7!mZ3#tR, cámbiala hoy.', 'La contraseña del correo [EMAIL] es [SECRET], cámbiala hoy.'],
];

/** With names on answers too. */
const nameAnswers: ReadonlyArray<readonly [answer: string, redacted: string]> = [
  ['Is this intro ok?\n\nMarta Kowalczyk\nSenior analyst\n\nMy background is ten years of audits.', 'Is this intro ok?\n\n[PERSON]\nSenior analyst\n\nMy background is ten years of audits.'],
  ['Hi Kofi and Abena,\n\nthe forms are ready to sign.', 'Hi [PERSON] and [PERSON],\n\nthe forms are ready to sign.'],
  ['Kan iemand mevrouw Visser terugbellen over de factuur?', 'Kan iemand [PERSON] terugbellen over de factuur?'],
  // "pan" is a title in Polish text, which this one shows only in its last word.
  ['Dzwonil pan Kowalski w sprawie faktury, prosil o telefon jutro rano. Dziękuję.', 'Dzwonil [PERSON] w sprawie faktury, prosil o telefon jutro rano. Dziękuję.'],
  ['Okafor, Chidi 9:12 AM\nCan someone send the slides before noon?', '[PERSON] 9:12 AM\nCan someone send the slides before noon?'],
  ['Who wrote War and Peace, and when was it published?', 'Who wrote War and Peace, and when was it published?'],
];

const chunkings = ['c1', 'c5', 'tok'];

describe('pii: streamed answers whose redaction rests on the text before or after a value', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    // Answers with the last user message, streamed in the pieces the model name says.
    upstream = await startStandIn((request, response) => {
      const body = request.json as { model: string; stream?: boolean; messages: Array<{ content: string }> };
      const answer = body.messages.at(-1)!.content;
      const chunk = (delta: object, finish: string | null = null) => ({ id: 'chatcmpl-w', object: 'chat.completion.chunk', created: 1700000000, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: 'chatcmpl-w',
            object: 'chat.completion',
            created: 1700000000,
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
            usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
          }),
        );
        return;
      }
      const pieces = piecesOf(answer, body.model).map((piece) => chunk({ content: piece }));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody([chunk({ role: 'assistant', content: '' }), ...pieces, chunk({}, 'stop'), '[DONE]']));
    });
    const routes = (prefix: string, plugin: string) =>
      chunkings.flatMap((chunking) => [`  - match: { model: "${prefix}-${chunking}" }`, `    model: local/${chunking}`, `    plugins: { pii: ${plugin} }`]);
    gw = await startGateway(
      [
        'providers:',
        `  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [${chunkings.join(', ')}] }`,
        'routes:',
        ...routes('redact', "{ request: 'off', response: redact }"),
        ...routes('names', "{ request: 'off', response: redact, entities: { person_name: { response: redact } } }"),
        ...routes('block', "{ request: 'off', response: block }"),
      ].join('\n'),
    );
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const chat = async (model: string, content: string, stream: boolean): Promise<Response> =>
    fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, stream, messages: [{ role: 'user', content }] }) });

  async function nonStreamed(model: string, answer: string): Promise<string> {
    const reply = (await (await chat(model, answer, false)).json()) as { choices: Array<{ message: { content: string } }> };
    return reply.choices[0].message.content;
  }

  it('response: redact — the streamed answer is the non-streamed one, in every chunking', async () => {
    for (const [answer, redacted] of answers) {
      assert.equal(await nonStreamed('redact-c1', answer), redacted);
      for (const chunking of chunkings) assert.equal(readStream(await (await chat(`redact-${chunking}`, answer, true)).text()).text, redacted, `${chunking}: ${answer}`);
    }
  });

  it('names on answers too — a question, a list of names, a title, a chat header: the same both ways', async () => {
    for (const [answer, redacted] of nameAnswers) {
      assert.equal(await nonStreamed('names-c1', answer), redacted);
      for (const chunking of chunkings) assert.equal(readStream(await (await chat(`names-${chunking}`, answer, true)).text()).text, redacted, `${chunking}: ${answer}`);
    }
  });

  it('response: block — the letter ends in pii_detected and nothing of its address was sent', async () => {
    const [answer] = answers[0];
    for (const chunking of chunkings) {
      const streamed = readStream(await (await chat(`block-${chunking}`, answer, true)).text());
      assert.equal(streamed.error?.code, 'pii_detected', chunking);
      assert.ok(answer.startsWith(streamed.text) && streamed.text.length <= answer.indexOf('27 Larkspur'), `${chunking} sent ${JSON.stringify(streamed.text)}`);
    }
  });
});
