import type { UploadFormRequest, UploadOperation } from '../../canonical/forwarded.ts';
import { errors } from '../../errors/catalogue.ts';
import { formBoundary, readFormParts, type FormPart } from './multipart-form.ts';
import { checkModelName } from '../../canonical/model-name.ts';

/** What each upload endpoint needs besides `model`: a file under one of these names, and these text fields. */
const requiredParts: Record<UploadOperation, { file: string; fileNames: readonly string[]; fields: readonly string[] }> = {
  transcriptions: { file: 'file', fileNames: ['file'], fields: [] },
  translations: { file: 'file', fileNames: ['file'], fields: [] },
  // The SDKs send one image as `image`, several as `image[]`.
  image_edits: { file: 'image', fileNames: ['image', 'image[]'], fields: ['prompt'] },
};

/** A text field's value (the fields the gateway reads are short). */
function fieldText(body: Buffer, part: FormPart): string {
  return body.toString('utf8', part.start, part.end);
}

/**
 * An upload request (multipart/form-data): a transcription or translation (the audio `file`), or an
 * image edit (the `image`s and the `prompt`). The gateway checks the parts the endpoint needs and
 * reads `model`, `stream` and `response_format`; the body itself is forwarded as it came, with only
 * the model's value replaced when routing changes it.
 */
export function parseUploadForm(operation: UploadOperation, body: Buffer, contentType: string | undefined): UploadFormRequest {
  const needs = requiredParts[operation];
  const boundary = formBoundary(contentType);
  if (boundary === null) throw errors.invalidRequest(`This endpoint takes a multipart/form-data body (Content-Type: multipart/form-data; boundary=...) with the \`${needs.file}\` and the \`model\`.`);
  const parts = readFormParts(body, boundary);
  const model = parts.find((part) => part.name === 'model');
  if (model === undefined) throw errors.missingField('model');
  // Parsers disagree on which of two values counts (the first here, the last in Starlette): one model or none.
  if (parts.some((part) => part.name === 'model' && part !== model)) throw errors.invalidRequest('The form has more than one `model` part; send exactly one.', 'model');
  if (model.filename !== undefined) throw errors.invalidField('model', 'a text field');
  const modelName = fieldText(body, model);
  if (modelName === '') throw errors.invalidField('model', 'a non-empty string');
  checkModelName(modelName);
  const files = parts.filter((part) => needs.fileNames.includes(part.name));
  if (files.length === 0) throw errors.missingField(needs.file);
  if (files.some((file) => file.filename === undefined)) throw errors.invalidField(needs.file, 'a file upload');
  for (const field of needs.fields) {
    const part = parts.find((candidate) => candidate.name === field);
    if (part === undefined) throw errors.missingField(field);
    if (part.filename !== undefined) throw errors.invalidField(field, 'a text field');
  }
  const request: UploadFormRequest = { model: modelName, form: { contentType: contentType!, modelStart: model.start, modelEnd: model.end } };
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
