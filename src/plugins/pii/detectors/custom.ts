import { regexDetector, type Detector } from './detector.ts';

export interface CustomPattern {
  name: string;
  pattern: string;
  flags?: string;
}

/** A detector from a config regex; its name (EMPLOYEE_ID) is both the entity and the label. */
export function customDetector(custom: CustomPattern): Detector {
  const flags = new Set([...(custom.flags ?? ''), 'g']);
  flags.delete('y');
  return regexDetector({
    entity: custom.name,
    label: custom.name,
    specificity: 100,
    pattern: new RegExp(custom.pattern, [...flags].join('')),
    // Capture groups in user patterns are not value groups: the whole match is the value.
    wholeMatch: true,
  });
}
