import { errors } from '../errors/catalogue.ts';
import type { GatewayError } from '../errors/gateway-error.ts';

/** A `data:` URL's parts (RFC 2397): its media type as written, whether its payload is base64, the payload. */
export interface DataUrl {
  mediaType: string;
  base64: boolean;
  data: string;
  /** The `charset` parameter in lower case (`data:text/plain;charset=iso-8859-1,...`), when given. */
  charset?: string;
}

const dataUrlPattern = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s;

/** A data URL's parts, or null when `url` is not one (or names no media type). `;base64` is matched in any case, as browsers do. */
export function parseDataUrl(url: string): DataUrl | null {
  const match = dataUrlPattern.exec(url);
  if (match === null) return null;
  const parameters = match[2]!.split(';').map((parameter) => parameter.trim().toLowerCase());
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length);
  const parsed: DataUrl = { mediaType: match[1]!, base64: parameters.includes('base64'), data: match[3]! };
  if (charset) parsed.charset = charset;
  return parsed;
}

/** The value of one hexadecimal digit, or -1. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * A data URL's non-base64 payload as the bytes it stands for (RFC 2397: URL-encoded octets): each
 * `%XX` is the byte XX, whatever it is (`%89PNG` starts a PNG, `caf%E9` is Latin-1 text); any
 * other character is its UTF-8 bytes. Null when a `%` is not followed by two hexadecimal digits.
 * Not decodeURIComponent, which reads the escapes as UTF-8 text and throws on other bytes.
 */
export function percentDecodedBytes(payload: string): Buffer | null {
  const out = Buffer.allocUnsafe(Buffer.byteLength(payload, 'utf8'));
  let length = 0;
  let start = 0;
  for (let index = payload.indexOf('%'); index !== -1; index = payload.indexOf('%', start)) {
    if (index > start) length += out.write(payload.slice(start, index), length, 'utf8');
    const high = hexDigit(payload.charCodeAt(index + 1));
    const low = hexDigit(payload.charCodeAt(index + 2));
    if (high < 0 || low < 0) return null;
    out[length++] = high * 16 + low;
    start = index + 3;
  }
  if (start < payload.length) length += out.write(payload.slice(start), length, 'utf8');
  return out.subarray(0, length);
}

/** The 400 for a data URL whose percent-encoding is broken, naming the field that holds it. */
function malformedDataUrl(param: string): GatewayError {
  return errors.invalidRequest(`The data URL in '${param}' is not valid: without ';base64' its payload is percent-encoded bytes (RFC 2397), and a '%' must be followed by two hexadecimal digits.`, param);
}

/**
 * A data URL's payload as base64, for providers that take inline bytes that way (Gemini's
 * inlineData, Ollama's images): as written when it is base64, else its percent-encoded bytes
 * (percentDecodedBytes) encoded. A broken percent-encoding is a 400 naming `param`.
 */
export function dataUrlBase64(data: Pick<DataUrl, 'base64' | 'data'>, param: string): string {
  if (data.base64) return data.data;
  const bytes = percentDecodedBytes(data.data);
  if (bytes === null) throw malformedDataUrl(param);
  return bytes.toString('base64');
}

/** Charset names read as UTF-8: ASCII is a subset of it (the WHATWG decoder would read `us-ascii` as windows-1252). */
const utf8Charsets = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/**
 * A text file's bytes (base64, or percent-encoded: percentDecodedBytes) as text, read in the data
 * URL's `charset` when it names one Node knows (`iso-8859-1`, `windows-1252`, `shift_jis`…), else
 * as UTF-8 (what clients send; a byte that is not UTF-8 becomes U+FFFD, as for base64), without a
 * byte-order mark. Null when the percent-encoding is broken.
 */
export function dataUrlTextOrNull(data: DataUrl): string | null {
  const bytes = data.base64 ? Buffer.from(data.data, 'base64') : percentDecodedBytes(data.data);
  if (bytes === null) return null;
  let text: string;
  try {
    text = new TextDecoder(data.charset === undefined || utf8Charsets.has(data.charset) ? 'utf-8' : data.charset).decode(bytes);
  } catch {
    // A charset name TextDecoder does not know: UTF-8, as when none is named.
    text = bytes.toString('utf8');
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** dataUrlTextOrNull, with a broken percent-encoding a 400 naming `param`. */
export function dataUrlText(data: DataUrl, param: string): string {
  const text = dataUrlTextOrNull(data);
  if (text === null) throw malformedDataUrl(param);
  return text;
}

/**
 * Names clients write for an image type that providers know by its registered name only: `jpg`
 * (common in the wild) and `pjpeg` (old browsers' progressive JPEG) are JPEG, `x-png` is PNG.
 * Anthropic takes image/jpeg, png, gif and webp; Google image/png, jpeg, webp, heic and heif;
 * both refuse these aliases with a 400 ("Unsupported MIME type: image/jpg").
 */
const mediaTypeAliases: Readonly<Record<string, string>> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'image/x-png': 'image/png' };

/** A media type as providers take it: lower case (the type names are case-insensitive), an alias under its registered name. */
export function standardMediaType(mediaType: string): string {
  const lower = mediaType.toLowerCase();
  return mediaTypeAliases[lower] ?? lower;
}

const textMediaType = /^(text\/[\w.+-]+|application\/(json|xml|[\w.-]+\+(json|xml)))$/i;

/** Whether a file of this media type is text a model reads as such: text/*, JSON, XML and their `+json`/`+xml` kinds. */
export function isTextMediaType(mediaType: string): boolean {
  return textMediaType.test(mediaType);
}
