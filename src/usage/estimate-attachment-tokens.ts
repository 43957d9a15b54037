import { imageSize } from 'image-size';
import type { FilePart, ImagePart } from '../canonical/chat.ts';
import { isTextMediaType, parseDataUrl } from '../canonical/data-url.ts';
import { estimateTokens } from './estimate-tokens.ts';

/**
 * Token estimates for images and files in a prompt, before any provider has counted them (rate
 * limits' reservations, budgets, Anthropic's count_tokens for providers that cannot count). An
 * estimate is the same for every model, so it takes the larger of the two public formulas:
 * Anthropic's (the image scaled to a long edge of at most 1568 px and about 1.15 megapixels, then
 * width × height / 750) and OpenAI's high detail (fit in 2048 × 2048, shortest side to 768, then
 * 85 + 170 per 512-px tile). `detail: "low"` is OpenAI's flat 85.
 */

/** OpenAI's cost of a low-detail image, and its base cost of any image. */
const lowDetailTokens = 85;
/** An image whose size cannot be read (a URL, an unknown format): Claude's ceiling, so an estimate errs high. */
const unknownImageTokens = 1600;
/** A PDF page: Anthropic's guide puts a page (its text and its picture) at 1,500 to 3,000 tokens. */
const pdfPageTokens = 2000;
/** A PDF whose pages cannot be counted (page tree in compressed object streams): a page per this many bytes. */
const pdfBytesPerPage = 50_000;
/** Enough of a base64 image to find its size (JPEG's frame header can follow 64 KiB of EXIF). */
const headerBase64Characters = 128 * 1024;

/** A base64 data URL's media type (lower case) and payload; null for a URL or anything else. */
function base64Data(url: string): { mediaType: string; base64: string } | null {
  const data = parseDataUrl(url);
  return data?.base64 ? { mediaType: data.mediaType.toLowerCase(), base64: data.data } : null;
}

/** Claude's image tokens for an image of this size (scaled down as Anthropic scales it). */
export function anthropicImageTokens(width: number, height: number): number {
  let scale = Math.min(1, 1568 / Math.max(width, height));
  const pixels = width * height * scale * scale;
  if (pixels > 1_150_000) scale *= Math.sqrt(1_150_000 / pixels);
  return Math.ceil((width * scale * height * scale) / 750);
}

/** OpenAI's high-detail image tokens for an image of this size. */
export function openAIImageTokens(width: number, height: number): number {
  let scale = Math.min(1, 2048 / Math.max(width, height));
  const shortest = Math.min(width, height) * scale;
  if (shortest > 768) scale *= 768 / shortest;
  const tiles = Math.ceil((width * scale) / 512) * Math.ceil((height * scale) / 512);
  return lowDetailTokens + 170 * tiles;
}

function imageDimensions(base64: string): { width: number; height: number } | null {
  try {
    // Whole base64 quads only, so the prefix decodes to the image's first bytes.
    const prefix = base64.length > headerBase64Characters ? base64.slice(0, headerBase64Characters) : base64;
    const size = imageSize(Buffer.from(prefix, 'base64'));
    return size.width > 0 && size.height > 0 ? { width: size.width, height: size.height } : null;
  } catch {
    return null;
  }
}

// Several estimates of one request (its rate limits, its ledger record, an Anthropic client's
// message_start) read the same part objects: each is measured once.
const measured = new WeakMap<object, number>();

function once(part: object, measure: () => number): number {
  let tokens = measured.get(part);
  if (tokens === undefined) {
    tokens = measure();
    measured.set(part, tokens);
  }
  return tokens;
}

/** The estimated tokens of one image part. */
export function imageTokens(part: ImagePart): number {
  // A malformed part (the parsers refuse them; a plugin's may not be) is estimated as an image of unknown size.
  if (part.image_url === null || typeof part.image_url !== 'object' || typeof part.image_url.url !== 'string') return unknownImageTokens;
  if (part.image_url.detail === 'low') return lowDetailTokens;
  return once(part, () => sizedImageTokens(part));
}

function sizedImageTokens(part: ImagePart): number {
  const data = base64Data(part.image_url.url);
  const size = data === null ? null : imageDimensions(data.base64);
  if (size === null) return unknownImageTokens;
  return Math.max(anthropicImageTokens(size.width, size.height), openAIImageTokens(size.width, size.height));
}

/** The estimated tokens of an image file's bytes (an image edit's upload), by the same rule; an unreadable one is 1,600. */
export function imageBytesTokens(bytes: Buffer): number {
  let size: { width: number; height: number } | null = null;
  try {
    const read = imageSize(bytes.length > headerBase64Characters ? bytes.subarray(0, headerBase64Characters) : bytes);
    if (read.width > 0 && read.height > 0) size = { width: read.width, height: read.height };
  } catch {
    size = null;
  }
  if (size === null) return unknownImageTokens;
  return Math.max(anthropicImageTokens(size.width, size.height), openAIImageTokens(size.width, size.height));
}

const countKey = Buffer.from('/Count');
const pageKeys = [Buffer.from('/Type/Page'), Buffer.from('/Type /Page')];

function isSpace(byte: number | undefined): boolean {
  return byte === 32 || byte === 10 || byte === 13 || byte === 9 || byte === 12 || byte === 0;
}

/**
 * A PDF's page count: the largest `/Count N` (the page tree's root holds the total), else its
 * `/Type /Page` objects, else one page per 50 KB (a page tree inside compressed object streams).
 * Byte searches, no text made of the file.
 */
function pdfPages(bytes: Buffer): number {
  let pages = 0;
  for (let at = bytes.indexOf(countKey); at !== -1; at = bytes.indexOf(countKey, at + countKey.length)) {
    let index = at + countKey.length;
    while (isSpace(bytes[index])) index++;
    let count = 0;
    let digits = 0;
    for (; digits < 7 && bytes[index]! >= 48 && bytes[index]! <= 57; index++, digits++) count = count * 10 + bytes[index]! - 48;
    if (digits > 0 && digits < 7) pages = Math.max(pages, count);
  }
  if (pages === 0) {
    for (const key of pageKeys) {
      for (let at = bytes.indexOf(key); at !== -1; at = bytes.indexOf(key, at + key.length)) {
        const next = bytes[at + key.length];
        // `/Type /Pages` is the tree, not a page; a page object's type ends at a delimiter.
        if (next === undefined || isSpace(next) || next === 47 || next === 62) pages++;
      }
    }
  }
  return pages > 0 ? pages : Math.max(1, Math.round(bytes.length / pdfBytesPerPage));
}

/** The estimated tokens of one file part: a PDF by its pages, a text file by its text, anything else by its size. */
export function fileTokens(part: FilePart): number {
  return once(part, () => measuredFileTokens(part));
}

function measuredFileTokens(part: FilePart): number {
  const fileData = part.file !== null && typeof part.file === 'object' ? part.file.file_data : undefined;
  const data = typeof fileData === 'string' ? base64Data(fileData) : null;
  // A file id or a URL: nothing to measure here; a page's worth.
  if (data === null) return pdfPageTokens;
  const bytes = Buffer.from(data.base64, 'base64');
  if (data.mediaType === 'application/pdf') return pdfPages(bytes) * pdfPageTokens;
  if (isTextMediaType(data.mediaType)) return estimateTokens(bytes.toString('utf8'));
  return Math.ceil(bytes.length / 4);
}
