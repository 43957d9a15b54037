import type { ChatRequest } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { Plugin, PluginDefinition } from '../../pipeline/plugin.ts';
import { compileTemplate, expandTemplate, type CompiledTemplate } from './expand-template.ts';
import { promptTemplateConfigSchema, type PromptTemplateConfig } from './prompt-template-config.ts';

const name = 'prompt-template';
/**
 * Transformation range (1000-1999), first of the prompt builders: after authentication (3000s)
 * and limits (2000s), before prompt-decorator (1600), content-rules (1550), pii (1500) and
 * prompt-guard (1400), so every guardrail sees the expanded prompt.
 */
const priority = 1700;

function templateNotFound(template: string): GatewayError {
  return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'template_not_found', param: 'template', message: `There is no prompt template named '${template.slice(0, 128)}' on this route.` });
}

function templateRequired(): GatewayError {
  return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'template_required', param: 'template', message: 'This route only accepts requests that name a prompt template ({"template": name, "variables": {...}}).' });
}

/**
 * Named prompt templates: a chat request may send {"template": "summarize", "variables": {...}}
 * instead of messages; the variables are checked against their declared types and inserted in
 * one pass (a value never becomes template syntax). Enabled by default so a `template` field
 * never reaches a provider unexpanded; with no templates it costs one property check.
 */
export const promptTemplateDefinition: PluginDefinition<PromptTemplateConfig> = {
  name,
  description: 'Expands named prompt templates with typed, escaped {{variables}} into chat messages.',
  priority,
  enabledByDefault: true,
  configSchema: promptTemplateConfigSchema,
  create(config): Plugin {
    const templates = new Map<string, CompiledTemplate>(Object.entries(config.templates).map(([templateName, template]) => [templateName, compileTemplate(templateName, template)]));
    return {
      name,
      priority,
      onRequest(ctx) {
        if (ctx.operation !== 'chat') return;
        const body = ctx.body as ChatRequest;
        const requested = body.template;
        if (requested === undefined) {
          if (!config.allow_untemplated_requests) throw templateRequired();
          return;
        }
        if (typeof requested !== 'string') throw errors.invalidField('template', 'a string');
        if (body.messages.length > 0) throw errors.invalidRequest("Send either 'messages' or 'template', not both.", 'template');
        const template = templates.get(requested);
        if (!template) throw templateNotFound(requested);
        body.messages = expandTemplate(template, body.variables);
        delete body.template;
        delete body.variables;
        ctx.bodyChanged = true;
      },
    };
  },
};
