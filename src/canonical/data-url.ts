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

const textMediaType = /^(text\/[\w.+-]+|application\/(json|xml|[\w.-]+\+(json|xml)))$/i;

/** Whether a file of this media type is text a model reads as such: text/*, JSON, XML and their `+json`/`+xml` kinds. */
export function isTextMediaType(mediaType: string): boolean {
  return textMediaType.test(mediaType);
}
