import { errors } from '../../errors/catalogue.ts';
import { isObject, isSet, optionalBoolean, optionalString, requireString } from './check-fields.ts';

/**
 * Checks `tools` and `tool_choice`. Only function tools travel through the canonical model:
 * built-in tools (web search, file search, computer use, code interpreter, image generation, MCP,
 * shell, custom grammars…) run inside OpenAI's service and are refused, never dropped.
 */
export function checkResponsesTools(tools: unknown): void {
  if (!isSet(tools)) return;
  if (!Array.isArray(tools)) throw errors.invalidField('tools', 'an array');
  tools.forEach((tool, index) => {
    const param = `tools[${index}]`;
    if (!isObject(tool)) throw errors.invalidField(param, 'a tool object');
    if (typeof tool.type !== 'string') throw errors.missingField(`${param}.type`);
    if (tool.type !== 'function') {
      throw errors.unsupportedValue(`${param}.type`, `Tools of type '${tool.type}' are OpenAI's built-in tools and do not run through this gateway; only 'function' tools are supported.`);
    }
    requireString(tool, 'name', `${param}.name`);
    optionalString(tool, 'description', `${param}.description`);
    optionalBoolean(tool, 'strict', `${param}.strict`);
    if (isSet(tool.parameters) && !isObject(tool.parameters)) throw errors.invalidField(`${param}.parameters`, 'a JSON Schema object');
  });
}

const modes = new Set(['auto', 'none', 'required']);

export function checkResponsesToolChoice(choice: unknown): void {
  if (!isSet(choice)) return;
  if (typeof choice === 'string') {
    if (!modes.has(choice)) throw errors.invalidField('tool_choice', "'auto', 'none', 'required' or a function tool choice");
    return;
  }
  if (!isObject(choice) || typeof choice.type !== 'string') throw errors.invalidField('tool_choice', "'auto', 'none', 'required' or an object with a 'type'");
  switch (choice.type) {
    case 'function':
      requireString(choice, 'name', 'tool_choice.name');
      return;
    case 'allowed_tools': {
      if (choice.mode !== 'auto' && choice.mode !== 'required') throw errors.invalidField('tool_choice.mode', "'auto' or 'required'");
      if (!Array.isArray(choice.tools)) throw errors.invalidField('tool_choice.tools', 'an array');
      choice.tools.forEach((tool, index) => {
        const param = `tool_choice.tools[${index}]`;
        if (!isObject(tool)) throw errors.invalidField(param, 'an object');
        if (tool.type !== 'function') throw errors.unsupportedValue(`${param}.type`, 'Only function tools can be allowed through this gateway (built-in tools do not run here).');
        requireString(tool, 'name', `${param}.name`);
      });
      return;
    }
    default:
      throw errors.unsupportedValue('tool_choice.type', `A tool choice of type '${choice.type}' names a built-in tool, which does not run through this gateway; use 'auto', 'none', 'required', a function or 'allowed_tools'.`);
  }
}
