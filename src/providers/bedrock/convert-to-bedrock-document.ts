import type { FilePart } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { BedrockDocumentBlock, BedrockDocumentFormat } from './bedrock-api.ts';
import { parseDataUrl } from '../../canonical/data-url.ts';

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


/**
 * A document name Converse accepts: letters, digits, single spaces, hyphens, parentheses and
 * square brackets only (it reads the name as part of the prompt, so AWS restricts it). The
 * extension goes (the format says it), other characters become hyphens.
 */
export function documentName(filename: string | undefined, position: number): string {
  const base = (filename ?? '').replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const cleaned = base.replace(/[^A-Za-z0-9\s\-()[\]]/g, '-').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? `document-${position}` : cleaned;
}

/**
 * An OpenAI file part (`file.file_data` as a base64 data URL) as a Converse document block.
 * File ids name OpenAI's storage, which Bedrock cannot read; they are refused with a 400.
 */
export function documentBlock(part: FilePart, param: string, position: number): BedrockDocumentBlock {
  const fileData = part.file?.file_data;
  if (typeof fileData !== 'string') throw errors.invalidRequest(`Provider 'bedrock' takes files as inline data ('file.file_data'); file ids are not supported.`, param);
  const data = parseDataUrl(fileData);
  if (!data?.base64) throw errors.invalidRequest(`Expected a base64 data URL in '${param}.file.file_data'.`, `${param}.file.file_data`);
  const format = documentFormats[data.mediaType.toLowerCase()];
  if (!format) throw errors.invalidRequest(`Provider 'bedrock' reads pdf, csv, doc, docx, xls, xlsx, html, txt and md documents; '${data.mediaType}' is not one of them.`, `${param}.file.file_data`);
  return { document: { format, name: documentName(part.file.filename, position), source: { bytes: data.data } } };
}
