import { isIdentifier } from './identifiers.ts';

/**
 * A tiny code tree and its printer: values fit on one line when they can (width 100),
 * otherwise one entry per line with trailing commas, like prettier's defaults with single
 * quotes. `broken` forces one entry per line (top-level builder calls, item lists).
 */
export type Code =
  | { kind: 'raw'; text: string }
  | { kind: 'object'; entries: [string, Code][]; broken?: boolean }
  | { kind: 'array'; items: Code[]; broken?: boolean }
  | { kind: 'call'; callee: string; args: Code[] };

const WIDTH = 100;

export const raw = (text: string): Code => ({ kind: 'raw', text });
export const str = (text: string): Code => raw(quoteString(text));
export const num = (value: number): Code => raw(numberText(value));

/** Any JSON value (billingControls are carried verbatim) as code. */
export function fromJson(value: unknown): Code {
  if (value === null || value === undefined) return raw('null');
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number') return num(value);
  if (typeof value === 'boolean') return raw(String(value));
  if (Array.isArray(value)) return { kind: 'array', items: value.map(fromJson) };
  return { kind: 'object', entries: Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, fromJson(inner)]) };
}

/** Prints `code` starting at `column` on a line indented by `indent` spaces. */
export function printCode(code: Code, indent = 0, column = indent): string {
  const flat = printFlat(code);
  if (flat !== null && column + flat.length + 1 <= WIDTH) return flat;
  const pad = ' '.repeat(indent + 2);
  const close = ' '.repeat(indent);
  switch (code.kind) {
    case 'raw':
      return code.text;
    case 'object':
      return `{\n${code.entries.map(([key, value]) => `${pad}${propertyKey(key)}: ${printCode(value, indent + 2, indent + 2 + propertyKey(key).length + 2)},\n`).join('')}${close}}`;
    case 'array':
      return `[\n${code.items.map((value) => `${pad}${printCode(value, indent + 2)},\n`).join('')}${close}]`;
    case 'call':
      return `${code.callee}(${code.args.map((arg) => printCode(arg, indent, column + code.callee.length + 1)).join(', ')})`;
  }
}

/** Each node's one-line form is asked for at every enclosing level; compute it once. */
const flatCache = new WeakMap<Code, string | null>();

/** The one-line form, or null when the node must break. */
function printFlat(code: Code): string | null {
  if (code.kind === 'raw') return code.text;
  let flat = flatCache.get(code);
  if (flat === undefined) {
    flat = computeFlat(code);
    flatCache.set(code, flat);
  }
  return flat;
}

function computeFlat(code: Code): string | null {
  switch (code.kind) {
    case 'raw':
      return code.text;
    case 'object': {
      if (code.entries.length === 0) return '{}';
      if (code.broken) return null;
      const parts = code.entries.map(([key, value]) => {
        const inner = printFlat(value);
        return inner === null ? null : `${propertyKey(key)}: ${inner}`;
      });
      return parts.includes(null) ? null : `{ ${parts.join(', ')} }`;
    }
    case 'array': {
      if (code.items.length === 0) return '[]';
      if (code.broken) return null;
      const parts = code.items.map(printFlat);
      return parts.includes(null) ? null : `[${parts.join(', ')}]`;
    }
    case 'call': {
      const parts = code.args.map(printFlat);
      return parts.includes(null) ? null : `${code.callee}(${parts.join(', ')})`;
    }
  }
}

function propertyKey(key: string): string {
  return isIdentifier(key) ? key : quoteString(key);
}

/**
 * A single-quoted JS string literal for any string: backslash, quote, line breaks, control
 * characters, U+2028/9 and lone surrogates are escaped; other characters are kept as they are.
 */
export function quoteString(text: string): string {
  let out = "'";
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    const code = text.charCodeAt(index);
    if (char === '\\') out += '\\\\';
    else if (char === "'") out += "\\'";
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16)}`;
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += char + text[index + 1]!;
        index += 1;
      } else out += `\\u${code.toString(16)}`;
    } else if (code >= 0xdc00 && code <= 0xdfff) out += `\\u${code.toString(16)}`;
    else out += char;
  }
  return `${out}'`;
}

function numberText(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}
