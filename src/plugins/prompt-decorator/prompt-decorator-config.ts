import { z } from 'zod';

const decorationSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant']).describe('The role of the added message.'),
    content: z.string().min(1).describe('The text of the added message (used as is: no template syntax).'),
  })
  .strict();

export const promptDecoratorConfigSchema = z
  .object({
    prepend: z.array(decorationSchema).default([]).describe('Messages put before the conversation, in this order (e.g. a company policy as a system message).'),
    append: z.array(decorationSchema).default([]).describe('Messages put after the conversation, in this order.'),
  })
  .strict()
  .refine((config) => config.prepend.length + config.append.length > 0, 'set at least one message in prepend or append');

export type PromptDecoratorConfig = z.infer<typeof promptDecoratorConfigSchema>;
