import type { ChatRequest } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { Plugin } from '../../pipeline/plugin.ts';
import { promptTemplatePriority } from './definition.ts';
import { compileTemplate, expandTemplate, type CompiledTemplate } from './expand-template.ts';
import type { PromptTemplateConfig } from './prompt-template-config.ts';

const name = 'prompt-template';

function templateNotFound(template: string): GatewayError {
  return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'template_not_found', param: 'template', message: `There is no prompt template named '${template.slice(0, 128)}' on this route.` });
}

function templateRequired(): GatewayError {
  return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'template_required', param: 'template', message: 'This route only accepts requests that name a prompt template ({"template": name, "variables": {...}}).' });
}

/** The prompt-template plugin's instance: expands a request's named template into messages (definition.ts). */
export function createPromptTemplatePlugin(config: PromptTemplateConfig): Plugin {
  const templates = new Map<string, CompiledTemplate>(Object.entries(config.templates).map(([templateName, template]) => [templateName, compileTemplate(templateName, template)]));
  return {
    name,
    priority: promptTemplatePriority,
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
}
