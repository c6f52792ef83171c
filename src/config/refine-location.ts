import type { SourceLocation } from '../errors.ts';

/**
 * Moves a builder's call-site location onto the field an issue is about, so the code
 * frame underlines `includd` in `item({ featureId: 'x', includd: 5 })` rather than `item`.
 * A bracket-aware text search, not a parse: starting at the call's argument object, it
 * follows the path key by key at the right nesting depth (`price`, then `tiers`, then the
 * second element's `to` for `tiers[1].to`), ignoring comments and strings. Where a key is
 * not written (a missing field), it keeps the deepest key found, or the call itself.
 */
export function refineLocation(location: SourceLocation, segments: readonly (string | number)[], source: string): SourceLocation {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const callLine = lineStarts[location.line - 1];
  if (callLine === undefined || segments.length === 0) return location;
  const code = maskCommentsAndStrings(source);
  // The builder's argument object: the first `{` after the call's `(`.
  let container = code.indexOf('{', code.indexOf('(', callLine + location.column));
  let found: { index: number; key: string } | undefined;
  for (const segment of segments) {
    if (container === -1 || (code[container] !== '{' && code[container] !== '[')) break;
    if (typeof segment === 'number') {
      container = nthElement(code, container, segment);
      continue;
    }
    const index = keyIn(code, container, segment);
    if (index === -1) break;
    found = { index, key: segment };
    container = valueStart(code, index + segment.length);
  }
  return found ? at(location, found, lineStarts, source) : location;
}

/** Where `key:` sits directly inside the object opened at `open` (not in nested objects), or -1. */
function keyIn(code: string, open: number, key: string): number {
  const pattern = new RegExp(`^${escape(key)}\\s*:`);
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return -1;
    } else if (depth === 1 && /[A-Za-z_$]/.test(c as string) && !/[\w$]/.test(code[i - 1] ?? '') && pattern.test(code.slice(i, i + key.length + 20))) {
      return i;
    }
  }
  return -1;
}

/** The opening bracket of element `n` (an object or array) of the array opened at `open`, or -1. */
function nthElement(code: string, open: number, n: number): number {
  let depth = 0;
  let seen = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '{' || c === '[' || c === '(') {
      depth++;
      if (depth === 2 && c !== '(') {
        if (seen === n) return i;
        seen++;
      }
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return -1;
    }
  }
  return -1;
}

/** The first `{` or `[` of the value after `key:` (skipping a builder call like `item(`), or -1. */
function valueStart(code: string, from: number): number {
  const match = /^\s*:\s*(?:[\w$.]+\s*\(\s*)?([{[])/.exec(code.slice(from));
  return match ? from + match[0].length - 1 : -1;
}

function at(location: SourceLocation, found: { index: number; key: string }, lineStarts: number[], source: string): SourceLocation {
  let line = 0;
  while (line + 1 < lineStarts.length && (lineStarts[line + 1] as number) <= found.index) line++;
  const lineStart = lineStarts[line] as number;
  const lineEnd = source.indexOf('\n', lineStart);
  const lineText = source.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).replace(/\r$/, '');
  return { ...location, line: line + 1, column: found.index - lineStart, lineText, length: found.key.length };
}

/** The source with comments and string contents blanked (same length), so searches see only code. */
function maskCommentsAndStrings(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      out += c + source.slice(i + 1, j).replace(/[^\n]/g, ' ') + (j < source.length ? c : '');
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
