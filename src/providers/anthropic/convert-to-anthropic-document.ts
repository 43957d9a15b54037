import type { FilePart } from '../../canonical/chat.ts';
import { dataUrlBase64, dataUrlText, isTextMediaType, parseDataUrl } from '../../canonical/data-url.ts';
import { errors } from '../../errors/catalogue.ts';
import type { AnthropicDocumentBlock } from './anthropic-api.ts';

/** What the refusal names as the files Claude reads. */
const readable = "PDF (application/pdf) and text (text/*, application/json, sent as plain text)";

/**
 * An OpenAI file part (`file.file_data`) as an Anthropic document block. Anthropic's base64
 * source takes PDFs only; text has a source of its own (`{type: text, media_type: text/plain,
 * data}`, the text itself), so a text file (text/*, JSON, XML) goes decoded that way; an http(s)
 * URL goes as a `url` source (Anthropic fetches PDFs). Any other type (docx, xlsx, images as files)
 * is refused with a 400 naming the part and what Claude reads, rather than Anthropic's 400 about
 * `media_type`. File ids name OpenAI's storage, which Anthropic cannot read.
 */
export function documentBlock(part: FilePart, param: string): AnthropicDocumentBlock {
  const fileData = part.file?.file_data;
  if (typeof fileData !== 'string') throw errors.invalidRequest(`Provider 'anthropic' takes files as inline data ('file.file_data'); file ids are not supported.`, param);
  const dataParam = `${param}.file.file_data`;
  let block: AnthropicDocumentBlock;
  if (/^https?:\/\//i.test(fileData)) block = { type: 'document', source: { type: 'url', url: fileData } };
  else {
    const data = parseDataUrl(fileData);
    if (!data) throw errors.invalidRequest(`Expected a data URL or an http(s) URL in '${dataParam}'.`, dataParam);
    const mediaType = data.mediaType.toLowerCase();
    // Text (text/*, JSON, XML and the +json / +xml types) is read as a plain-text document.
    if (isTextMediaType(mediaType)) block = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: dataUrlText(data, dataParam) } };
    else if (mediaType === 'application/pdf') block = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: dataUrlBase64(data, dataParam) } };
    else {
      throw errors.invalidRequest(`Provider 'anthropic' reads files that are ${readable}; '${data.mediaType}' in '${dataParam}' is neither.`, dataParam);
    }
  }
  if (part.file.filename) block.title = part.file.filename;
  return block;
}
