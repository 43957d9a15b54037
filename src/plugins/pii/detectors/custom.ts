import { compileCustomPattern } from '../custom-pattern.ts';
import type { Detector } from './detector.ts';

export interface CustomPattern {
  name: string;
  pattern: string;
  flags?: string;
}

/**
 * A detector from a config regex; its name (EMPLOYEE_ID) is both the entity and the label. The
 * pattern runs in RE2 (custom-pattern.ts): the text is the client's, the time stays linear in it.
 */
export function customDetector(custom: CustomPattern): Detector {
  const pattern = compileCustomPattern(custom.pattern, custom.flags);
  return {
    entity: custom.name,
    label: custom.name,
    specificity: 100,
    find(text, found, from = 0) {
      // Capture groups in user patterns are not value groups: the whole match is the value.
      pattern.forEach(text, from, ({ start, end }) => {
        found.push({ entity: custom.name, label: custom.name, start, end, specificity: 100 });
      });
    },
  };
}
