import { z } from 'zod';
import { placeholderNames } from './template-text.ts';
import { variableSchema } from './template-variables.ts';

export const templateMessageSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant']).describe('The message role.'),
    content: z.string().describe('The message text; `{{name}}` inserts a declared variable.'),
  })
  .strict();

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'variable names use letters, digits and _ and do not start with a digit');

export const templateSchema = z
  .object({
    description: z.string().optional().describe('What the template does.'),
    prompt: z.string().optional().describe('Shorthand for a template of one user message.'),
    messages: z.array(templateMessageSchema).min(1).optional().describe('The messages the template expands to.'),
    variables: z.record(variableName, variableSchema).default({}).describe('The variables the template declares, by name, with their types.'),
  })
  .strict()
  .superRefine((template, context) => {
    if ((template.prompt === undefined) === (template.messages === undefined)) {
      context.addIssue({ code: 'custom', message: 'set exactly one of prompt or messages' });
      return;
    }
    const texts = template.prompt !== undefined ? [template.prompt] : template.messages!.map((message) => message.content);
    for (const name of new Set(texts.flatMap(placeholderNames))) {
      if (!Object.hasOwn(template.variables, name)) context.addIssue({ code: 'custom', path: ['variables'], message: `the template uses {{${name}}} but does not declare it` });
    }
    for (const [name, declaration] of Object.entries(template.variables)) {
      if (declaration.type === 'enum' && declaration.default !== undefined && !declaration.values.includes(declaration.default)) {
        context.addIssue({ code: 'custom', path: ['variables', name, 'default'], message: 'the default must be one of values' });
      }
      if (declaration.type === 'number' && declaration.minimum !== undefined && declaration.maximum !== undefined && declaration.minimum > declaration.maximum) {
        context.addIssue({ code: 'custom', path: ['variables', name, 'maximum'], message: `below minimum ${declaration.minimum}: no value could pass` });
      }
    }
  });

export const promptTemplateConfigSchema = z
  .object({
    templates: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'template names use letters, digits, _ . -'), templateSchema).default({}).describe('Named templates a request can use with {"template": name, "variables": {...}}.'),
    allow_untemplated_requests: z.boolean().default(true).describe('false: chat requests must name a template (Kong ai-prompt-template parity).'),
  })
  .strict();

export type TemplateConfig = z.infer<typeof templateSchema>;
export type PromptTemplateConfig = z.infer<typeof promptTemplateConfigSchema>;
