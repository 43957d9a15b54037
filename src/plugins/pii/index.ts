import type { CanonicalChunk, CanonicalResponse } from '../../canonical/operation.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { CleanTexts } from './clean-texts.ts';
import { buildDetectors } from './detectors/index.ts';
import { piiPriority } from './definition.ts';
import { MaskVault } from './mask-vault.ts';
import { resolvePolicy, type Direction, type PiiAction, type PiiConfig, type PiiPolicy } from './pii-config.ts';
import { PiiPass } from './pii-pass.ts';
import { rewriteRequestTexts } from './request-texts.ts';
import { asksForJsonContent, rewriteResponse, StreamRewriter } from './response-texts.ts';
import { PiiScanner } from './scan-text.ts';
import { rewriteVerbatimTurnTexts } from './verbatim-turn-texts.ts';

const name = 'pii';
/** How much text of clean tool definitions and response formats a plugin instance remembers (UTF-16 units: at most 512 KiB). */
const cleanDefinitionChars = 256 * 1024;

/** One request's PII state (ctx.state 'pii'). */
interface PiiState {
  vault: MaskVault;
  request: PiiPass;
  response: PiiPass;
  /** The client asked for a JSON answer: originals restored in its content are JSON-escaped. */
  jsonContent: boolean;
  stream: StreamRewriter | null;
}

/** 400 naming the entity types found — never the values. */
export function piiDetected(labels: Iterable<string>, direction: Direction): GatewayError {
  const types = [...labels].sort().join(', ');
  const where = direction === 'request' ? 'The request contains' : 'The response contained';
  return new GatewayError({
    status: 400,
    type: 'invalid_request_error',
    code: 'pii_detected',
    message: `${where} sensitive data this gateway does not let through (${types}).`,
  });
}

/** A scanner per direction with only the detectors that direction acts on. */
export function scannerFor(policy: PiiPolicy, direction: Direction): PiiScanner {
  const acts = (entity: string): boolean => (policy.actions.get(entity)?.[direction] ?? 'off') !== 'off';
  return new PiiScanner(
    buildDetectors(
      policy.enabled.filter(acts),
      { phone: { countries: policy.phoneCountries } },
      policy.custom.filter((custom) => acts(custom.name)),
    ),
  );
}

function countsOf(found: Map<string, number>): Record<string, number> | undefined {
  return found.size === 0 ? undefined : Object.fromEntries(found);
}

/** The pii plugin's instance: a scanner per direction, and per request a vault of masked values (definition.ts). */
export function createPiiPlugin(config: PiiConfig, { logger }: PluginDependencies): Plugin {
  const policy = resolvePolicy(config);
  const scanners = { request: scannerFor(policy, 'request'), response: scannerFor(policy, 'response') };
  const actionOf =
    (direction: Direction) =>
    (entity: string): PiiAction =>
      policy.actions.get(entity)?.[direction] ?? 'off';
  const requestAction = actionOf('request');
  const responseAction = actionOf('response');
  const stateOf = (ctx: RequestContext): PiiState | undefined => ctx.state.get(name) as PiiState | undefined;
  const rewritesResponse = (state: PiiState): boolean => state.response.active || state.vault.size > 0;
  // Redaction or masking of the request, or any check of the answer but logging: what a natively forwarded Responses request cannot get.
  const changesBodies = [...policy.actions.values()].some((action) => action.request === 'redact' || action.request === 'mask' || (action.response !== 'off' && action.response !== 'log-only'));
  // Tool definition and response format texts found clean, not scanned again when sent again (clean-texts.ts).
  const cleanDefinitions = new CleanTexts(cleanDefinitionChars);

  return {
    name,
    priority: piiPriority,
    onRequest(ctx) {
      const vault = new MaskVault();
      const request = new PiiPass(scanners.request, requestAction, vault);
      // First every text, so a placeholder-shaped string in a later message is not issued earlier.
      if (request.active) {
        const reserve = (text: string): string => (vault.reserve(text), text);
        rewriteRequestTexts(ctx.operation, ctx.body, { text: reserve, run: (texts) => (reserve(texts.join('')), texts) });
      }
      // Texts read back to back (a message's text parts, consecutive tool results…) are also scanned as one: chat-text-runs.ts.
      const changed =
        request.active &&
        rewriteRequestTexts(ctx.operation, ctx.body, {
          text: (text) => request.apply(text),
          run: (texts) => request.applyRun(texts),
          definition: (text) => request.applyRepeated(text, cleanDefinitions),
        });
      // The client's Messages turns an Anthropic provider gets as sent (server tool blocks…): rewritten
      // alike, their texts the canonical messages also hold by a pass that does not count them again.
      let copies: PiiPass | undefined;
      const copy = (text: string): string => (copies ??= new PiiPass(scanners.request, requestAction, vault)).apply(text);
      const verbatimChanged = request.active && rewriteVerbatimTurnTexts(ctx.operation, ctx.body, (text) => request.apply(text), copy);
      // Nothing found and no response scan: the request keeps no state for the rest of its life
      // (a stream's lasts as long as the stream; at 1,000 open streams the vaults, passes and their
      // maps were ~12 MiB of peak memory), and the response and log phases have nothing to do.
      const copiesFound = copies !== undefined && copies.found.size > 0;
      if (request.found.size > 0 || copiesFound || request.blocked.size > 0 || scanners.response.detectors.length > 0) {
        // Response-side masks are pseudonyms in their own vault: never restored, never colliding.
        const response = new PiiPass(scanners.response, responseAction, vault.fork());
        const state: PiiState = { vault, request, response, jsonContent: asksForJsonContent(ctx.operation, ctx.body), stream: null };
        ctx.state.set(name, state);
      }
      if (request.blocked.size > 0) throw piiDetected(request.blocked, 'request');
      // A verbatim turn's block the canonical message keeps only in part (the earlier of two thinking blocks).
      if (copies !== undefined && copies.blocked.size > 0) throw piiDetected(copies.blocked, 'request');
      // The raw bytes still hold the originals: they must not be forwarded.
      if (changed || verbatimChanged) ctx.bodyChanged = true;
      // Two callers' requests masked alike are one upstream request, but each gets its own values back.
      const masked = vault.fingerprint();
      if (masked !== null) (ctx.answerVariesBy ??= []).push(`pii\u0000${masked}`);
    },
    nativeForwardingConflict() {
      return changesBodies ? 'redacts or masks sensitive data in requests, or checks answers' : null;
    },
    onResponse(ctx, response: CanonicalResponse) {
      const state = stateOf(ctx);
      if (!state || !rewritesResponse(state)) return;
      rewriteResponse(response, state.response, state.vault, state.jsonContent);
      ctx.responseChanged = true;
      if (state.response.blocked.size > 0) throw piiDetected(state.response.blocked, 'response');
    },
    onChunk(ctx, chunk: CanonicalChunk) {
      const state = stateOf(ctx);
      if (!state || !rewritesResponse(state)) return chunk;
      state.stream ??= new StreamRewriter(state.response, state.vault, state.jsonContent);
      const out = state.stream.rewrite(chunk);
      if (state.response.blocked.size > 0) throw piiDetected(state.response.blocked, 'response');
      return out;
    },
    onStreamEnd(ctx) {
      return stateOf(ctx)?.stream?.end() ?? [];
    },
    // Nothing masked in the prompt and no response-side scan: the stream goes through untouched.
    rewritesStream(ctx) {
      const state = stateOf(ctx);
      return state !== undefined && rewritesResponse(state);
    },
    onLog(ctx) {
      const state = stateOf(ctx);
      if (!state || (state.request.found.size === 0 && state.response.found.size === 0)) return;
      // Types and counts only: the values never reach a log line.
      logger.info(
        {
          type: 'pii',
          requestId: ctx.id,
          request: countsOf(state.request.found),
          response: countsOf(state.response.found),
          blocked: state.request.blocked.size + state.response.blocked.size > 0 ? [...state.request.blocked, ...state.response.blocked] : undefined,
          masked: state.vault.size || undefined,
        },
        'pii detected',
      );
    },
  };
}
