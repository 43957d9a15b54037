/** A `data:` URL's parts (RFC 2397): its media type as written, whether its payload is base64, the payload. */
export interface DataUrl {
  mediaType: string;
  base64: boolean;
  data: string;
}

const dataUrlPattern = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s;

/** A data URL's parts, or null when `url` is not one (or names no media type). */
export function parseDataUrl(url: string): DataUrl | null {
  const match = dataUrlPattern.exec(url);
  return match === null ? null : { mediaType: match[1]!, base64: match[2]!.split(';').includes('base64'), data: match[3]! };
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
