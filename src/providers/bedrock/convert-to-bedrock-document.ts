import type { FilePart } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { BedrockDocumentBlock, BedrockDocumentFormat } from './bedrock-api.ts';
import { dataUrlBase64, parseDataUrl } from '../../canonical/data-url.ts';

/** The media types Converse reads as documents, by its format names. */
const documentFormats: Record<string, BedrockDocumentFormat> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};


/** Converse's longest document name (DocumentBlock.name: "Maximum length of 200"). */
export const documentNameLength = 200;

/**
 * A document name Converse accepts: letters, digits, single spaces, hyphens, parentheses and
 * square brackets only (it reads the name as part of the prompt, so AWS restricts it). The
 * extension goes (the format says it), other characters become hyphens, and the name is cut to
 * Converse's 200 characters. Empty after that: `document-<position>`.
 */
export function documentName(filename: string | undefined, position: number): string {
  const base = (filename ?? '').replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const cleaned = base.replace(/[^A-Za-z0-9\s\-()[\]]/g, '-').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? `document-${position}` : withSuffix(cleaned, '');
}

/** `name` cut so that it and `suffix` fit Converse's length, a space left at the cut removed. */
function withSuffix(name: string, suffix: string): string {
  return name.length + suffix.length <= documentNameLength ? name + suffix : name.slice(0, documentNameLength - suffix.length).trimEnd() + suffix;
}

/**
 * The document names of one request. Converse refuses a name used twice anywhere in `messages`
 * ("Messages can't contain duplicate document names"), and since it is stateless the whole history
 * goes up every turn: a file attached twice (a re-upload, two parts of one message) or two names
 * the cleaning makes equal (`a_b.pdf`, `a.b.pdf`) would break the conversation for good. A name
 * already taken (compared without case) gets `-2`, `-3`, … (the first free one), cut to fit. Names
 * are given in the order the documents come, so a turn's documents keep their names in every
 * later turn: the history replays identically.
 */
export class DocumentNames {
  readonly #taken = new Set<string>();
  #documents = 0;

  /** The name of the request's next document, from its filename. */
  next(filename: string | undefined): string {
    const name = documentName(filename, ++this.#documents);
    let unique = name;
    for (let copy = 2; this.#taken.has(unique.toLowerCase()); copy++) unique = withSuffix(name, `-${copy}`);
    this.#taken.add(unique.toLowerCase());
    return unique;
  }
}

/**
 * An OpenAI file part (`file.file_data` as a data URL: base64, or percent-encoded bytes) as a
 * Converse document block, named by `names`. File ids name OpenAI's storage and URLs a file
 * Bedrock would have to fetch, which it cannot: both are refused with a 400.
 */
export function documentBlock(part: FilePart, param: string, names: DocumentNames): BedrockDocumentBlock {
  const fileData = part.file?.file_data;
  if (typeof fileData !== 'string') throw errors.invalidRequest(`Provider 'bedrock' takes files as inline data ('file.file_data'); file ids are not supported.`, param);
  const dataParam = `${param}.file.file_data`;
  const data = parseDataUrl(fileData);
  if (!data) throw errors.invalidRequest(`Expected a data URL in '${dataParam}' (provider 'bedrock' takes files inline; it cannot fetch URLs).`, dataParam);
  const format = documentFormats[data.mediaType.toLowerCase()];
  if (!format) throw errors.invalidRequest(`Provider 'bedrock' reads pdf, csv, doc, docx, xls, xlsx, html, txt and md documents; '${data.mediaType}' is not one of them.`, dataParam);
  return { document: { format, name: names.next(part.file.filename), source: { bytes: dataUrlBase64(data, dataParam) } } };
}
