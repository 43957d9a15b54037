import type { ChatRequest } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { CohereCitationMode, CohereCitationOptions, CohereDocument } from './cohere-api.ts';

/** Cohere's documented citation modes (v2 /chat `citation_options.mode`). */
const citationModes: ReadonlySet<string> = new Set<CohereCitationMode>(['FAST', 'ACCURATE', 'OFF']);

/** Cohere's RAG fields of a request, checked, to be sent as they came. */
export interface CohereRagFields {
  documents?: CohereDocument[];
  citation_options?: CohereCitationOptions;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** One document as Cohere takes it: a string, or `{data, id?}` with `data` a string or an object. */
function checkDocument(document: unknown, param: string): CohereDocument {
  if (typeof document === 'string') return document;
  if (!isPlainObject(document)) throw errors.invalidField(param, 'a string or an object with a data field');
  if (document.data === undefined) throw errors.missingField(`${param}.data`);
  if (typeof document.data !== 'string' && !isPlainObject(document.data)) throw errors.invalidField(`${param}.data`, 'a string or an object');
  if (document.id !== undefined && typeof document.id !== 'string') throw errors.invalidField(`${param}.id`, 'a string');
  return document as CohereDocument;
}

function checkCitationOptions(options: unknown): CohereCitationOptions {
  if (!isPlainObject(options)) throw errors.invalidField('citation_options', 'an object');
  const mode = options.mode;
  if (mode !== undefined && (typeof mode !== 'string' || !citationModes.has(mode))) {
    throw errors.invalidRequest("Invalid value for 'citation_options.mode': expected 'FAST', 'ACCURATE' or 'OFF'.", 'citation_options.mode');
  }
  return options as CohereCitationOptions;
}

/**
 * `documents` and `citation_options`: not OpenAI's, but Cohere's own RAG fields, which an OpenAI
 * client sends as extra body fields to ground the answer in its documents. They are checked here,
 * before any call, so a malformed one is a 400 naming it rather than Cohere's error (or a
 * document silently unread); null counts as not given. Returns null when the request has neither,
 * the usual case, which costs two property reads.
 */
export function cohereRagFieldsOf(request: ChatRequest): CohereRagFields | null {
  const { documents, citation_options: citationOptions } = request;
  const hasDocuments = documents !== undefined && documents !== null;
  const hasOptions = citationOptions !== undefined && citationOptions !== null;
  if (!hasDocuments && !hasOptions) return null;
  const fields: CohereRagFields = {};
  if (hasDocuments) {
    if (!Array.isArray(documents)) throw errors.invalidField('documents', 'an array of strings or of objects with a data field');
    fields.documents = documents.map((document, index) => checkDocument(document, `documents[${index}]`));
  }
  if (hasOptions) fields.citation_options = checkCitationOptions(citationOptions);
  return fields;
}
