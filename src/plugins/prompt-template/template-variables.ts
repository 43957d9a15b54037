import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';

const description = z.string().optional().describe('What the variable is for (shown in errors and docs).');
const required = z.boolean().optional().describe('Whether the request must give a value; default: true unless a default is set.');

export const variableSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('string'),
      description,
      required,
      default: z.string().optional().describe('Value used when the request gives none.'),
      max_length: z.number().int().positive().optional().describe('Most characters the value may have.'),
    })
    .strict(),
  z
    .object({
      type: z.literal('number'),
      description,
      required,
      default: z.number().optional().describe('Value used when the request gives none.'),
      integer: z.boolean().default(false).describe('Only whole numbers.'),
      minimum: z.number().optional().describe('Smallest allowed value.'),
      maximum: z.number().optional().describe('Largest allowed value.'),
    })
    .strict(),
  z.object({ type: z.literal('boolean'), description, required, default: z.boolean().optional().describe('Value used when the request gives none.') }).strict(),
  z
    .object({
      type: z.literal('enum'),
      description,
      required,
      values: z.array(z.string()).min(1).describe('The allowed values.'),
      default: z.string().optional().describe('Value used when the request gives none (one of `values`).'),
    })
    .strict(),
]);

export type VariableDeclaration = z.infer<typeof variableSchema>;

/** 400 naming the variables and what is wrong with each — never their values. */
export function invalidTemplateVariables(template: string, problems: string[]): GatewayError {
  return new GatewayError({
    status: 400,
    type: 'invalid_request_error',
    code: 'invalid_template_variables',
    param: 'variables',
    message: `Invalid variables for template '${template}': ${problems.join('; ')}.`,
  });
}

function problemWith(name: string, declaration: VariableDeclaration, value: unknown): string | null {
  switch (declaration.type) {
    case 'string':
      if (typeof value !== 'string') return `'${name}' must be a string`;
      if (declaration.max_length !== undefined && [...value].length > declaration.max_length) return `'${name}' is longer than ${declaration.max_length} characters`;
      return null;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `'${name}' must be a number`;
      if (declaration.integer && !Number.isInteger(value)) return `'${name}' must be a whole number`;
      if (declaration.minimum !== undefined && value < declaration.minimum) return `'${name}' must be at least ${declaration.minimum}`;
      if (declaration.maximum !== undefined && value > declaration.maximum) return `'${name}' must be at most ${declaration.maximum}`;
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : `'${name}' must be a boolean`;
    case 'enum':
      return typeof value === 'string' && declaration.values.includes(value) ? null : `'${name}' must be one of ${declaration.values.map((allowed) => `'${allowed}'`).join(', ')}`;
  }
}

/**
 * Checks a request's variables against the declarations and returns each one's text. Unknown,
 * missing, null and mistyped variables are all reported at once (400 invalid_template_variables).
 */
export function resolveVariables(template: string, declared: Readonly<Record<string, VariableDeclaration>>, given: unknown): Map<string, string> {
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) throw invalidTemplateVariables(template, ["'variables' must be an object"]);
  const values = (given ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  for (const name of Object.keys(values)) if (!Object.hasOwn(declared, name)) problems.push(`unknown variable '${name.slice(0, 64)}'`);
  const resolved = new Map<string, string>();
  for (const [name, declaration] of Object.entries(declared)) {
    let value = Object.hasOwn(values, name) ? values[name] : undefined;
    // null is not "not given": a client that sends it means something, and a default or an empty
    // text in its place would be a guess. Leaving the variable out takes the default.
    if (value === null) {
      problems.push(`'${name}' is null: give a ${declaration.type === 'enum' ? 'value' : declaration.type} or leave it out`);
      continue;
    }
    if (value === undefined) {
      value = declaration.default;
      if (value === undefined) {
        if (declaration.required ?? true) problems.push(`missing variable '${name}'`);
        else resolved.set(name, '');
        continue;
      }
    }
    const problem = problemWith(name, declaration, value);
    if (problem) problems.push(problem);
    else resolved.set(name, String(value));
  }
  if (problems.length > 0) throw invalidTemplateVariables(template, problems);
  return resolved;
}
