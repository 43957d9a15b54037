import { errors } from '../../errors/catalogue.ts';

/** What the gateway reads from a part's headers: the field's name, and its file name if it is a file. */
export interface PartHeaders {
  name: string;
  /** Set for a file part (`filename=`, or `filename*=` as the client wrote it, not decoded). */
  filename: string | undefined;
}

/** An RFC 9110 token: a header's name, the disposition type, a parameter's name or unquoted value. */
const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
/** A quoted-string without a backslash: where one would end is not in doubt (see readDisposition). */
const quoted = /^"([^"\\]*)"/;
/** The codings that leave a part's bytes as they are; undici decodes `base64`, most parsers none. */
const identityCodings = new Set(['7bit', '8bit', 'binary']);
/** A control character other than tab (a bare CR or LF above all: parsers split lines on different ones). */
const controlCharacter = /[\x00-\x08\x0a-\x1f\x7f]/;

/** Without the spaces and tabs (HTTP's OWS) at its start, or at both ends; no other whitespace is OWS. */
function withoutLeadingSpace(text: string): string {
  return text.replace(/^[ \t]+/, '');
}
function withoutSpace(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** A 400 for a form the gateway will not read (the same for the body's framing and a part's headers). */
export function malformedForm(detail: string): never {
  throw errors.invalidRequest(`The multipart/form-data body is malformed: ${detail}.`);
}

/**
 * The name (and file name) of a part, from its header lines. Strict where parsers differ, since the
 * gateway checks a form that an upstream parses again: were they to disagree on which part is
 * `model`, the key's allowed models would be checked against one value and another served (the
 * sec3 audit, finding 2). So a part whose headers could be read two ways is refused, never guessed
 * at: a folded line, a bare CR or LF, a name with space before its colon, a Content-Disposition
 * given twice (undici keeps the last), a Content-Transfer-Encoding that changes the bytes.
 */
export function readPartHeaders(lines: readonly string[]): PartHeaders {
  let disposition: string | undefined;
  for (const line of lines) {
    if (line.startsWith(' ') || line.startsWith('\t')) malformedForm('a part header is folded onto a second line');
    if (controlCharacter.test(line)) malformedForm('a part header has a control character (a bare CR or LF)');
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    if (colon === -1 || token.exec(name)?.[0] !== name) malformedForm('a part header is not `Name: value`');
    const value = withoutSpace(line.slice(colon + 1));
    switch (name.toLowerCase()) {
      case 'content-disposition':
        if (disposition !== undefined) malformedForm('a part has more than one Content-Disposition');
        disposition = value;
        break;
      case 'content-transfer-encoding':
        if (!identityCodings.has(value.toLowerCase())) malformedForm('a part has a Content-Transfer-Encoding that changes its bytes (RFC 7578 §4.7: send none)');
        break;
    }
  }
  if (disposition === undefined) malformedForm('a part has no Content-Disposition name');
  return readDisposition(disposition);
}

/**
 * A `form-data` Content-Disposition (RFC 7578 §4.2, RFC 6266 §4.1): `form-data` then `; name=value`
 * parameters, each value a token or a quoted-string, nothing else. Parameter names count in any
 * case (`NAME=` is `name=`, as undici and werkzeug read it). Refused, each a way parsers part:
 * - a parameter given twice, in any case (the first counts here, the last in undici and werkzeug);
 * - `name*=` (undici and werkzeug decode it as the name); `filename*=` only marks a file, as
 *   `filename=` does, so it is taken;
 * - a backslash in a quoted-string: RFC 7578 §4.2 has forms escape `"` as `%22`, browsers and undici
 *   read a backslash as itself, RFC 2616's quoted-pair and werkzeug as an escape, so where the
 *   string ends (and what follows it) would differ;
 * - anything left over (a parameter without its `;`, which undici still reads).
 */
function readDisposition(header: string): PartHeaders {
  const type = token.exec(header)?.[0];
  if (type?.toLowerCase() !== 'form-data') malformedForm('a part\'s Content-Disposition is not `form-data`');
  const parameters = new Map<string, string>();
  let rest = header.slice(type.length);
  for (;;) {
    rest = withoutLeadingSpace(rest);
    if (rest === '') break;
    if (!rest.startsWith(';')) malformedForm('a part\'s Content-Disposition has something other than `; name=value` parameters');
    rest = withoutLeadingSpace(rest.slice(1));
    const parameter = token.exec(rest)?.[0];
    if (parameter === undefined || rest[parameter.length] !== '=') malformedForm('a part\'s Content-Disposition has a parameter without `=value`');
    const key = parameter.toLowerCase();
    if (parameters.has(key)) malformedForm(`a part's Content-Disposition gives \`${key.slice(0, 40)}\` more than once`);
    if (key.endsWith('*') && key !== 'filename*') malformedForm(`a part's Content-Disposition has \`${key.slice(0, 40)}\` (RFC 7578 §4.2: \`name=\`, \`filename=\`)`);
    rest = rest.slice(parameter.length + 1);
    if (rest.startsWith('"')) {
      const value = quoted.exec(rest);
      if (value === null) malformedForm(rest.includes('\\') ? 'a part\'s Content-Disposition has a backslash in a quoted value (send `"` as %22)' : 'a part\'s Content-Disposition has an unclosed quoted value');
      parameters.set(key, value[1]);
      rest = rest.slice(value[0].length);
    } else {
      const value = token.exec(rest)?.[0];
      if (value === undefined) malformedForm('a part\'s Content-Disposition has a parameter without a value');
      parameters.set(key, value);
      rest = rest.slice(value.length);
    }
  }
  const name = parameters.get('name');
  if (name === undefined) malformedForm('a part has no Content-Disposition name');
  return { name, filename: parameters.get('filename') ?? parameters.get('filename*') };
}
