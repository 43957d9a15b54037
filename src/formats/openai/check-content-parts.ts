import { errors } from '../../errors/catalogue.ts';

/**
 * A chat message's content parts, checked as OpenAI checks them, so what reaches the plugins (the
 * guardrails read every text part) and the adapters is the shape the canonical model promises:
 * each part an object with a known `type` and that type's fields of the right types. A part that is
 * not is a 400 naming it (`messages[1].content[0].text`), as OpenAI answers: `Invalid type for …:
 * expected an object`, `Missing required parameter: …`, `Invalid value: 'x'. Supported values are: …`.
 * The types are the ones any role may carry (OpenAI narrows them per role; the providers answer that).
 * Another type goes on to the provider, which judges it (OpenAI-compatible servers take their own:
 * vLLM's `video_url`, `audio_url`), unless it carries a `text` or `refusal` string: a text part
 * under a name the guardrails do not read (`input_text`, Responses' spelling) is refused as OpenAI
 * refuses it, so no text reaches a model unscanned.
 */
export function checkContentParts(parts: readonly unknown[], param: string): void {
  for (let index = 0; index < parts.length; index++) checkPart(parts[index], `${param}[${index}]`);
}

const partTypes = ['text', 'image_url', 'input_audio', 'file', 'refusal'];

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkPart(part: unknown, param: string): void {
  if (!isObject(part)) throw errors.invalidField(param, 'an object');
  const type = part.type;
  if (type === undefined) throw errors.missingField(`${param}.type`);
  if (typeof type !== 'string') throw errors.invalidField(`${param}.type`, 'a string');
  switch (type) {
    case 'text':
      return requireString(part, 'text', param);
    case 'refusal':
      return requireString(part, 'refusal', param);
    case 'image_url': {
      // Mistral's documented shorthand, `image_url: "<url>"`: the canonical body gets OpenAI's
      // object (plugins and translated providers read it); the client's bytes, forwarded to an
      // OpenAI-format provider, keep the string for that provider to judge.
      if (typeof part.image_url === 'string') {
        part.image_url = { url: part.image_url };
        return;
      }
      const image = requireObject(part, 'image_url', param);
      requireString(image, 'url', `${param}.image_url`);
      return optionalString(image, 'detail', `${param}.image_url`);
    }
    case 'input_audio': {
      const audio = requireObject(part, 'input_audio', param);
      requireString(audio, 'data', `${param}.input_audio`);
      return requireString(audio, 'format', `${param}.input_audio`);
    }
    case 'file': {
      const file = requireObject(part, 'file', param);
      for (const field of ['file_data', 'file_id', 'filename']) optionalString(file, field, `${param}.file`);
      return;
    }
    default:
      if (typeof part.text === 'string' || typeof part.refusal === 'string') throw errors.invalidValue(`${param}.type`, type, partTypes);
      return;
  }
}

/** A required field; null is a value of the wrong type, as OpenAI reads it (`expected a string, but got null`). */
function requireString(object: Fields, field: string, param: string): void {
  const value = object[field];
  if (value === undefined) throw errors.missingField(`${param}.${field}`);
  if (typeof value !== 'string') throw errors.invalidField(`${param}.${field}`, 'a string');
}

function optionalString(object: Fields, field: string, param: string): void {
  const value = object[field];
  if (value !== undefined && value !== null && typeof value !== 'string') throw errors.invalidField(`${param}.${field}`, 'a string');
}

function requireObject(object: Fields, field: string, param: string): Fields {
  const value = object[field];
  if (value === undefined) throw errors.missingField(`${param}.${field}`);
  if (!isObject(value)) throw errors.invalidField(`${param}.${field}`, 'an object');
  return value;
}
