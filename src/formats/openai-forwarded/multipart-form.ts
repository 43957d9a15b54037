import { malformedForm as malformed, readPartHeaders } from './form-part-headers.ts';

/** One part of a multipart/form-data body: its field name, file name if any, and where its value lies. */
export interface FormPart {
  name: string;
  /** Set for a file part (`filename=`, or `filename*=`, in its Content-Disposition). */
  filename: string | undefined;
  start: number;
  end: number;
}

/** A form has a handful of fields; more parts than this is not a request to an audio endpoint. */
const maxParts = 200;
/** The most bytes of one part's headers. */
const maxHeaderBytes = 16 * 1024;

const crlf = Buffer.from('\r\n');
const headersEnd = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` Content-Type, or null when it is not one. */
export function formBoundary(contentType: string | undefined): string | null {
  if (contentType === undefined || !/^\s*multipart\/form-data\s*;/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^";\s]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

/**
 * The parts of a multipart/form-data body (RFC 7578), by position: nothing is copied, so the
 * body can be forwarded with one field's value replaced and every file byte as it came.
 */
export function readFormParts(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at === -1 || (at > 0 && (at < 2 || body.compare(crlf, 0, 2, at - 2, at) !== 0))) malformed('no opening boundary');
  const parts: FormPart[] = [];
  for (;;) {
    at += delimiter.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts; // the closing delimiter
    // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (body.compare(crlf, 0, 2, at, at + 2) !== 0) malformed('a boundary is not followed by a line break');
    const headerStart = at + 2;
    const headerEnd = body.indexOf(headersEnd, headerStart - 2);
    if (headerEnd === -1 || headerEnd - headerStart > maxHeaderBytes) malformed('a part has no end of headers');
    const valueStart = headerEnd + 4;
    const valueEnd = body.indexOf(nextDelimiter, valueStart);
    if (valueEnd === -1) malformed('no closing boundary');
    const headers = headerEnd > headerStart ? body.toString('utf8', headerStart, headerEnd).split('\r\n') : [];
    const { name, filename } = readPartHeaders(headers);
    parts.push({ name, filename, start: valueStart, end: valueEnd });
    if (parts.length > maxParts) malformed(`more than ${maxParts} parts`);
    at = valueEnd + 2;
  }
}

/**
 * The body with bytes [start, end) replaced by `value` (UTF-8), as the pieces to send one after
 * another: views of the body before and after the range, and the value in memory of its own (it
 * is held for the upstream call). No byte of the body is copied: an upload joined anew cost its
 * size once more for as long as the call lasted.
 */
export function piecesWithReplacedRange(body: Buffer, start: number, end: number, value: string): Buffer[] {
  const replacement = Buffer.allocUnsafeSlow(Buffer.byteLength(value, 'utf8'));
  replacement.write(value, 'utf8');
  return [body.subarray(0, start), replacement, body.subarray(end)];
}
