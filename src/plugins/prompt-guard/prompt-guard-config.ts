import { z } from 'zod';
import { signalNames } from './signals/signal-names.ts';

/** Kong patterns are PCRE and often start with (?i); JavaScript takes that as a flag. */
export function compilePattern(source: string): RegExp {
  const caseless = source.startsWith('(?i)');
  return new RegExp(caseless ? source.slice(4) : source, caseless ? 'iu' : 'u');
}

function validPattern(source: string): boolean {
  try {
    compilePattern(source);
    return true;
  } catch {
    return false;
  }
}

const pattern = z.string().min(1).refine(validPattern, 'not a valid regular expression (JavaScript syntax; a leading (?i) is accepted)');

export const promptGuardConfigSchema = z
  .object({
    action: z.enum(['block', 'flag']).default('block').describe('block: reject with 400 prompt_injection_detected; flag: only log the score and signals.'),
    threshold: z.number().min(0).max(1).default(0.5).describe('Score (0-1) at or above which the heuristic detector blocks or flags.'),
    heuristics: z.boolean().default(true).describe('Run the scored detector: pattern signals and the classifier (the regex lists run either way).'),
    disabled_signals: z.array(z.enum(signalNames)).default([]).describe('Signal families of the scored detector to turn off (`classifier` is the trained model).'),
    allow_patterns: z.array(pattern).default([]).describe('If set, the checked text must match at least one (Kong ai-prompt-guard).'),
    deny_patterns: z.array(pattern).default([]).describe('The checked text must match none; deny wins over allow (Kong ai-prompt-guard).'),
    match_all_roles: z.boolean().default(false).describe('Check every message, not only user messages (tool results are always scored by the heuristics).'),
    allow_all_conversation_history: z.boolean().default(false).describe('Kong parity: when true, only the last user message is checked and the earlier history is ignored.'),
  })
  .strict();

export type PromptGuardConfig = z.infer<typeof promptGuardConfigSchema>;
