import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from 'pino';
import type { ChatMessage } from '../../src/canonical/chat.ts';
import type { RequestContext } from '../../src/pipeline/context.ts';
import type { PluginDependencies } from '../../src/pipeline/plugin.ts';
import { chatTextRuns } from '../../src/plugins/pii/chat-text-runs.ts';
import { createPiiPlugin } from '../../src/plugins/pii/index.ts';
import type { MaskVault } from '../../src/plugins/pii/mask-vault.ts';
import { piiConfigSchema } from '../../src/plugins/pii/pii-config.ts';

// Which texts are read back to back (chat-text-runs.ts) and what the request pass makes of a run.

const silent = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Logger;

/** Runs the plugin's request phase on chat messages: the messages as rewritten, the vault, or the error. */
function onRequest(config: object, messages: ChatMessage[]): { messages: ChatMessage[]; vault?: MaskVault; error?: Error } {
  const plugin = createPiiPlugin(piiConfigSchema.parse(config), { logger: silent } as unknown as PluginDependencies);
  const body = { model: 'm', messages: structuredClone(messages) };
  const ctx = { id: 'r', operation: 'chat', body, bodyChanged: false, state: new Map(), stream: false } as unknown as RequestContext;
  let error: Error | undefined;
  try {
    plugin.onRequest!(ctx);
  } catch (caught) {
    error = caught as Error;
  }
  return { messages: body.messages, vault: (ctx.state.get('pii') as { vault?: MaskVault } | undefined)?.vault, error };
}

const parts = (...texts: string[]) => texts.map((text) => ({ type: 'text' as const, text }));
const runTexts = (messages: ChatMessage[]) => chatTextRuns(messages).map((run) => run.map((entry) => entry.text));

describe('pii: texts read back to back (join rule)', () => {
  it('adjacent text parts, consecutive messages of one role and consecutive tool results are runs; a change of role is not', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'S1' },
      { role: 'developer', content: 'D1' },
      { role: 'user', content: parts('U1', 'U2') },
      { role: 'user', content: 'U3' },
      { role: 'assistant', content: 'A1', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"q":"x"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: parts('T1', 'T2') },
      { role: 'tool', tool_call_id: 'c2', content: 'T3' },
      { role: 'user', content: 'U4' },
    ];
    assert.deepEqual(runTexts(messages), [['S1', 'D1'], ['U1', 'U2', 'U3'], ['A1'], ['{"q":"x"}'], ['T1', 'T2', 'T3'], ['U4']]);
  });

  it('what the model reads between two texts ends the run: an image or file part, tool calls before, reasoning after', () => {
    const file = { type: 'file' as const, file: { file_data: `data:text/plain;base64,${Buffer.from('F1').toString('base64')}` } };
    const messages: ChatMessage[] = [
      { role: 'user', content: [...parts('U1'), { type: 'image_url', image_url: { url: 'https://example.org/i.png' } }, ...parts('U2'), file, ...parts('U3')] },
      { role: 'assistant', content: 'A1', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'assistant', content: 'A2' },
      { role: 'assistant', content: 'A3', reasoning_content: 'R3' },
      { role: 'user', content: null },
      { role: 'user', content: 'U4' },
    ];
    assert.deepEqual(runTexts(messages), [['U1'], ['U2'], ['F1'], ['U3'], ['A1'], ['{}'], ['A2'], ['A3'], ['R3'], ['U4']]);
  });
});

describe('pii: the request pass over runs', () => {
  it('mask: one placeholder for the whole value in the text where it starts, restored whole; each piece is removed after it', () => {
    const { messages, vault } = onRequest({ request: 'mask' }, [{ role: 'user', content: parts('card 4111 ', '1111 1111', ' 1111 ok') }]);
    assert.deepEqual(
      (messages[0].content as Array<{ text: string }>).map((part) => part.text),
      ['card <CREDIT_CARD_1>', '', ' ok'],
    );
    assert.equal(vault?.restore('<CREDIT_CARD_1>'), '4111 1111 1111 1111');
  });

  it("keeps what each text alone gives where the join reads otherwise: a value glued to the text before, a question at the join's start", () => {
    const glued = onRequest({ request: 'redact' }, [{ role: 'user', content: parts('Totalx', '4111 1111 1111 1111') }]);
    assert.deepEqual((glued.messages[0].content as Array<{ text: string }>).map((part) => part.text), ['Totalx', '[CREDIT_CARD]']);
    const question = onRequest({ request: 'redact' }, [
      { role: 'user', content: 'Is this letter fine? ' },
      { role: 'user', content: '742 Evergreen Terrace, Springfield, OR 97403' },
    ]);
    assert.equal(question.messages[1].content, '[ADDRESS]');
  });

  it('a longer value across the join replaces the piece a text alone found (the same entity, more of it)', () => {
    const { messages, vault } = onRequest({ request: 'mask' }, [{ role: 'tool', tool_call_id: 'c1', content: parts('owner: ana.lo', 'pez@example.com') }]);
    assert.deepEqual((messages[0].content as Array<{ text: string }>).map((part) => part.text), ['owner: <EMAIL_1>', '']);
    assert.equal(vault?.restore('<EMAIL_1>'), 'ana.lopez@example.com');
  });

  it('a whole value a text alone ends before its end is not run on into the next text (a full stop, then the next block\'s first word)', () => {
    // Joined, "ann@example.com." + "The report" reads as the address "ann@example.com.The": "The" must stay.
    const { messages } = onRequest({ request: 'redact' }, [{ role: 'user', content: parts('Summarise this for ann@example.com.', 'The report follows.') }]);
    assert.deepEqual((messages[0].content as Array<{ text: string }>).map((part) => part.text), ['Summarise this for [EMAIL].', 'The report follows.']);
  });

  it("finds a value whose cue is in the text before (the join's reading), whole in the text after", () => {
    const { messages } = onRequest({ request: 'redact' }, [{ role: 'user', content: parts('my password is', ' Tr0ub4dor&3xQ') }]);
    assert.deepEqual((messages[0].content as Array<{ text: string }>).map((part) => part.text), ['my password is', ' [SECRET]']);
  });

  it('where a text alone reads a piece of a split value as something else, one span covers both, under the strongest action', () => {
    // Alone, the first text gives a password "youssef.haddad@i"; the join gives the address and, after its cue, the password.
    const texts = ['Het wachtwoord van youssef.haddad@i', 'nbox.example.net is gereset naar q4cMGYysG0LHJj'];
    const redacted = onRequest({ request: 'redact' }, [{ role: 'user', content: parts(...texts) }]);
    assert.deepEqual((redacted.messages[0].content as Array<{ text: string }>).map((part) => part.text), ['Het wachtwoord van [EMAIL]', ' is gereset naar [SECRET]']);
    const blocked = onRequest({ request: 'redact', entities: { generic_secret: { request: 'log-only' }, email: { request: 'block' } } }, [{ role: 'user', content: parts(...texts) }]);
    assert.match(String(blocked.error?.message), /EMAIL/);
  });

  it('log-only leaves every piece; block refuses', () => {
    const logOnly = onRequest({ request: 'log-only' }, [{ role: 'user', content: 'mail john.doe@' }, { role: 'user', content: 'example.com' }]);
    assert.deepEqual(logOnly.messages.map((message) => message.content), ['mail john.doe@', 'example.com']);
    assert.equal(logOnly.error, undefined);
    const blocked = onRequest({ request: 'block' }, [{ role: 'user', content: 'mail john.doe@' }, { role: 'user', content: 'example.com' }]);
    assert.match(String(blocked.error?.message), /EMAIL/);
  });

  it('a change of role is not joined: the user and the assistant do not make one number', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'mail john.doe@' },
      { role: 'assistant', content: 'example.com' },
    ];
    const { messages: rewritten, error } = onRequest({ request: 'block' }, messages);
    assert.equal(error, undefined);
    assert.deepEqual(rewritten, messages);
  });
});
