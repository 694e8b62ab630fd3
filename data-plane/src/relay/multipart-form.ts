// multipart/form-data at the byte level: split an upload into parts (file bytes untouched), read a text field, swap
// one field's value (the model name for model mapping) and write the parts back with the caller's boundary.

export interface MultipartPart {
  name: string;
  /** Set for file parts. */
  filename: string | null;
  /** The part's header block as received (without the blank line); rewritten only when the part is replaced. */
  headers: Buffer;
  data: Buffer;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
/** Bounds the work on hostile uploads; real clients send a handful of fields. */
const MAX_PARTS = 256;

/** The boundary parameter of a multipart/form-data content type, or null for any other type. */
export function multipartBoundary(contentType: string): string | null {
  const [type, ...parameters] = contentType.split(';');
  if (type?.trim().toLowerCase() !== 'multipart/form-data') return null;
  for (const parameter of parameters) {
    const separator = parameter.indexOf('=');
    if (separator === -1) continue;
    if (parameter.slice(0, separator).trim().toLowerCase() !== 'boundary') continue;
    const value = parameter.slice(separator + 1).trim().replace(/^"(.*)"$/, '$1');
    // RFC 2046: 1 to 70 characters.
    return value.length > 0 && value.length <= 70 ? value : null;
  }
  return null;
}

/**
 * The one Content-Disposition line of a part; null when there is none, several, or one using RFC 2231 `name*=`
 * parameters: parsers disagree on those, and a second `model` or `prompt` hidden that way would reach the upstream
 * without passing pricing, routing or governance.
 */
function dispositionLine(headerText: string): string | null {
  const lines = headerText.split('\r\n').filter((header) => header.toLowerCase().startsWith('content-disposition:'));
  if (lines.length !== 1) return null;
  const line = lines[0] as string;
  return /;\s*(name|filename)\*\s*=/i.test(line) ? null : line;
}

function dispositionParameter(headerText: string, parameter: 'name' | 'filename'): string | null {
  const line = dispositionLine(headerText);
  if (!line) return null;
  const match = new RegExp(`;\\s*${parameter}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(line) ?? new RegExp(`;\\s*${parameter}=([^;\\s]+)`, 'i').exec(line);
  return match?.[1] ?? null;
}

/** The parts of a multipart body; null when the body is not well-formed multipart with this boundary. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let cursor = body.indexOf(delimiter);
  // Anything before the first delimiter is a preamble, which must end with CRLF when present.
  if (cursor === -1 || (cursor > 0 && !body.subarray(cursor - 2, cursor).equals(CRLF))) return null;
  cursor += delimiter.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) return parts; // "--": the closing delimiter
    if (!body.subarray(cursor, cursor + 2).equals(CRLF)) return null;
    const headerStart = cursor + 2;
    const headerEnd = body.indexOf(HEADER_END, headerStart);
    if (headerEnd === -1) return null;
    const dataStart = headerEnd + HEADER_END.length;
    const dataEnd = body.indexOf(separator, dataStart);
    if (dataEnd === -1) return null;
    const headers = body.subarray(headerStart, headerEnd);
    const headerText = headers.toString('latin1');
    const name = dispositionParameter(headerText, 'name');
    if (name === null) return null;
    const filename = dispositionParameter(headerText, 'filename');
    // A repeated text field (other than an `x[]` list) is ambiguous: we would read the first, the upstream maybe the last.
    if (filename === null && !name.endsWith('[]') && parts.some((part) => part.name === name && part.filename === null)) return null;
    parts.push({ name, filename, headers, data: body.subarray(dataStart, dataEnd) });
    if (parts.length > MAX_PARTS) return null;
    cursor = dataEnd + separator.length;
  }
}

/** The value of a text field (the first one with that name), or null. */
export function multipartTextField(parts: readonly MultipartPart[], name: string): string | null {
  const part = parts.find((candidate) => candidate.name === name && candidate.filename === null);
  return part ? part.data.toString('utf8') : null;
}

/** A copy with every text field `name` set to `value` (appended when absent). */
export function withMultipartTextField(parts: readonly MultipartPart[], name: string, value: string): MultipartPart[] {
  const replacement: MultipartPart = {
    name,
    filename: null,
    headers: Buffer.from(`Content-Disposition: form-data; name="${name.replace(/"/g, '%22')}"`),
    data: Buffer.from(value, 'utf8'),
  };
  let found = false;
  const result = parts.map((part) => {
    if (part.name !== name || part.filename !== null) return part;
    found = true;
    return replacement;
  });
  if (!found) result.push(replacement);
  return result;
}

export function serializeMultipart(parts: readonly MultipartPart[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) chunks.push(Buffer.from(`--${boundary}\r\n`), part.headers, HEADER_END, part.data, CRLF);
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
