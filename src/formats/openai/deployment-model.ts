import { errors } from '../../errors/catalogue.ts';
import { formBoundary, readFormParts } from '../openai-forwarded/multipart-form.ts';
import { prependTopLevelField, rewriteTopLevelModel } from './rewrite-raw-body.ts';

/**
 * The model of a request whose URL named an Azure deployment (src/server/azure-paths.ts): the
 * deployment, as on Azure, which ignores the body's `model`. The body is made to say so before it
 * is parsed, so routing, plugins, the ledger and the provider all see one model, and the client's
 * bytes still go up with only that value changed. (The `AzureOpenAI` SDKs send the body's `model`
 * too, often a model family such as `gpt-4o` beside a deployment of another name.)
 */

function checkDeployment(deployment: string): void {
  if (deployment === '') throw errors.invalidRequest('The URL names no deployment: send /openai/deployments/{deployment}/... with a model name as the deployment.', 'model');
}

/** A JSON body with the deployment as its `model`: the parsed object and the bytes to forward. */
export function jsonWithDeployment(parsed: unknown, rawBody: Buffer, deployment: string): { parsed: unknown; rawBody: Buffer } {
  checkDeployment(deployment);
  // Not an object: parseOpenAIRequest refuses it.
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { parsed, rawBody };
  const request = parsed as Record<string, unknown>;
  if (request.model === deployment) return { parsed, rawBody };
  const edited = request.model === undefined ? prependTopLevelField(rawBody, 'model', deployment) : rewriteTopLevelModel(rawBody, deployment);
  request.model = deployment;
  // A model value the byte edit is not sure of (escapes, not a string): the body is written anew.
  return { parsed: request, rawBody: edited ?? Buffer.from(JSON.stringify(request)) };
}

/**
 * An upload form with the deployment as its `model` field: the field's value replaced, or a field
 * added before the first part when the form has none (Azure does not need it). A form that is not
 * one, or has two `model` parts, is returned as it came, for parseUploadForm to refuse.
 */
export function formWithDeployment(rawBody: Buffer, contentType: string | undefined, deployment: string): Buffer {
  checkDeployment(deployment);
  const boundary = formBoundary(contentType);
  if (boundary === null) return rawBody;
  const models = readFormParts(rawBody, boundary).filter((part) => part.name === 'model');
  if (models.length > 1) return rawBody;
  const value = Buffer.from(deployment, 'utf8');
  if (models.length === 1) {
    const [model] = models;
    if (rawBody.subarray(model.start, model.end).equals(value)) return rawBody;
    return Buffer.concat([rawBody.subarray(0, model.start), value, rawBody.subarray(model.end)]);
  }
  // readFormParts found the opening delimiter; a field goes before it only when nothing precedes it.
  if (!rawBody.subarray(0, boundary.length + 2).equals(Buffer.from(`--${boundary}`))) return rawBody;
  return Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\n`), value, Buffer.from('\r\n'), rawBody]);
}
