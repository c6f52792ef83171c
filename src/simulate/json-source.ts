import type { SourceLocation } from '../errors.ts';

/**
 * Positions inside a JSON text, so that a problem at `steps[3].track.value` can be shown
 * as an esbuild-style code frame pointing at that value (examples.md "Config loading and
 * user errors"). A small validating scanner: it records where every value and key is,
 * and where the text stops being JSON.
 */

export type JsonPath = readonly (string | number)[];

interface Span {
  start: number;
  end: number;
  keyStart?: number;
  keyEnd?: number;
}

export interface JsonSource {
  file: string;
  text: string;
  /** Where the value at a path is; for `key: true`, where its key is (unknown keys). */
  locate(path: JsonPath, options?: { key?: boolean }): SourceLocation | undefined;
}

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** `steps[3].track.value` */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** Scans `text`; throws JsonSyntaxError (with an offset) when it is not JSON. */
export function scanJson(file: string, text: string): JsonSource {
  const spans = new Map<string, Span>();
  let pos = 0;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, Math.min(pos, text.length));
  };
  const skipSpace = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const describe = () => (pos >= text.length ? 'the end of the file' : `'${text[pos]}'`);

  const scanString = () => {
    pos++; // opening quote
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\') pos++;
      else if (text.charCodeAt(pos) < 0x20) fail('a string cannot contain a line break; close the string with "');
      pos++;
    }
    if (pos >= text.length) fail('unterminated string: add the closing "');
    pos++;
  };

  const scanValue = (path: (string | number)[], key?: { start: number; end: number }) => {
    skipSpace();
    const start = pos;
    const ch = text[pos];
    if (ch === '{') {
      pos++;
      skipSpace();
      if (text[pos] === '}') pos++;
      else {
        for (;;) {
          skipSpace();
          if (text[pos] !== '"') fail(`expected a property name in double quotes, found ${describe()}`);
          const keyStart = pos;
          scanString();
          const name = JSON.parse(text.slice(keyStart, pos)) as string;
          const keySpan = { start: keyStart, end: pos };
          skipSpace();
          if (text[pos] !== ':') fail(`expected ':' after the property name, found ${describe()}`);
          pos++;
          scanValue([...path, name], keySpan);
          skipSpace();
          if (text[pos] === ',') {
            pos++;
            skipSpace();
            if (text[pos] === '}') fail('trailing comma: remove the comma before }');
            continue;
          }
          if (text[pos] === '}') {
            pos++;
            break;
          }
          fail(`expected ',' or '}' after a property value, found ${describe()}`);
        }
      }
    } else if (ch === '[') {
      pos++;
      skipSpace();
      if (text[pos] === ']') pos++;
      else {
        for (let index = 0; ; index++) {
          scanValue([...path, index]);
          skipSpace();
          if (text[pos] === ',') {
            pos++;
            skipSpace();
            if (text[pos] === ']') fail('trailing comma: remove the comma before ]');
            continue;
          }
          if (text[pos] === ']') {
            pos++;
            break;
          }
          fail(`expected ',' or ']' after an array element, found ${describe()}`);
        }
      }
    } else if (ch === '"') {
      scanString();
    } else if (ch !== undefined && /[-0-9]/.test(ch)) {
      const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
      if (!match) fail(`invalid number starting at ${describe()}`);
      pos += match![0].length;
    } else {
      const word = /^(true|false|null)/.exec(text.slice(pos));
      if (!word) fail(`expected a value, found ${describe()}${ch === "'" ? ' (JSON strings use double quotes)' : ''}`);
      pos += word![0].length;
    }
    spans.set(formatPath(path), { start, end: pos, ...(key ? { keyStart: key.start, keyEnd: key.end } : {}) });
  };

  scanValue([]);
  skipSpace();
  if (pos < text.length) fail(`unexpected ${describe()} after the end of the JSON value`);

  return {
    file,
    text,
    locate(path, options = {}) {
      const span = spans.get(formatPath(path));
      if (!span) return undefined;
      const useKey = options.key && span.keyStart !== undefined;
      const start = useKey ? span.keyStart! : span.start;
      const end = useKey ? span.keyEnd! : span.end;
      return locationAt(file, text, start, end - start);
    },
  };
}

/** A SourceLocation for an offset; a multi-line value is underlined on its first line only. */
export function locationAt(file: string, text: string, offset: number, length = 1): SourceLocation {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEndIndex = text.indexOf('\n', offset);
  const lineText = text.slice(lineStart, lineEndIndex === -1 ? text.length : lineEndIndex).replace(/\r$/, '');
  const column = offset - lineStart;
  return { file, line, column, lineText, length: Math.max(1, Math.min(length, lineText.length - column)) };
}
