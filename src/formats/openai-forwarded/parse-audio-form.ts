import type { AudioTextRequest } from '../../canonical/forwarded.ts';
import { errors } from '../../errors/catalogue.ts';
import { formBoundary, readFormParts, type FormPart } from './multipart-form.ts';

/** A text field's value (the fields the gateway reads are short). */
function fieldText(body: Buffer, part: FormPart): string {
  return body.toString('utf8', part.start, part.end);
}

/**
 * A transcription or translation request (multipart/form-data): the gateway checks the `file` and
 * `model` parts and reads `model`, `stream` and `response_format`; the body itself is forwarded as
 * it came, with only the model's value replaced when routing changes it.
 */
export function parseAudioForm(body: Buffer, contentType: string | undefined): AudioTextRequest {
  const boundary = formBoundary(contentType);
  if (boundary === null) throw errors.invalidRequest('This endpoint takes a multipart/form-data body (Content-Type: multipart/form-data; boundary=...) with the audio `file` and the `model`.');
  const parts = readFormParts(body, boundary);
  const model = parts.find((part) => part.name === 'model');
  if (model === undefined) throw errors.missingField('model');
  if (model.filename !== undefined) throw errors.invalidField('model', 'a text field');
  const modelName = fieldText(body, model);
  if (modelName === '') throw errors.invalidField('model', 'a non-empty string');
  const file = parts.find((part) => part.name === 'file');
  if (file === undefined) throw errors.missingField('file');
  if (file.filename === undefined) throw errors.invalidField('file', 'a file upload');
  const request: AudioTextRequest = { model: modelName, form: { contentType: contentType!, modelStart: model.start, modelEnd: model.end } };
  const stream = parts.find((part) => part.name === 'stream');
  if (stream !== undefined) {
    const value = fieldText(body, stream);
    if (value !== 'true' && value !== 'false') throw errors.invalidField('stream', 'a boolean');
    request.stream = value === 'true';
  }
  const responseFormat = parts.find((part) => part.name === 'response_format');
  if (responseFormat !== undefined) request.response_format = fieldText(body, responseFormat);
  return request;
}
