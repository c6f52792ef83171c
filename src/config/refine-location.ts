import type { SourceLocation } from '../errors.ts';

/**
 * Moves a builder's call-site location onto the field an issue is about, so the code
 * frame underlines `includd` in `item({ featureId: 'x', includd: 5 })` rather than `item`.
 * A text search, not a parse: starting at the call, it looks for each key of the path in
 * turn (`price`, then `tiers`, then the second `to` for `tiers[1].to`), and gives up —
 * keeping the call site — if a key is not found before the next builder call.
 */
export function refineLocation(location: SourceLocation, segments: readonly (string | number)[], source: string): SourceLocation {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const callLine = lineStarts[location.line - 1];
  if (callLine === undefined || segments.length === 0) return location;
  const start = callLine + location.column;
  const code = maskCommentsAndStrings(source);
  const end = callEnd(code, start);
  let position = start;
  let found: { index: number; key: string } | undefined;
  let skip = 0;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      skip = segment;
      continue;
    }
    const pattern = new RegExp(`(?<![\\w$])${escape(segment)}\\s*:`, 'g');
    pattern.lastIndex = position;
    let match: RegExpExecArray | null = null;
    for (let n = 0; n <= skip; n++) {
      match = pattern.exec(code);
      if (!match || match.index >= end) return found ? at(location, found, lineStarts, source) : location;
    }
    skip = 0;
    found = { index: (match as RegExpExecArray).index, key: segment };
    position = pattern.lastIndex;
  }
  return found ? at(location, found, lineStarts, source) : location;
}

function at(location: SourceLocation, found: { index: number; key: string }, lineStarts: number[], source: string): SourceLocation {
  let line = 0;
  while (line + 1 < lineStarts.length && (lineStarts[line + 1] as number) <= found.index) line++;
  const lineStart = lineStarts[line] as number;
  const lineEnd = source.indexOf('\n', lineStart);
  const lineText = source.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).replace(/\r$/, '');
  return { ...location, line: line + 1, column: found.index - lineStart, lineText, length: found.key.length };
}

/** The index just past the call's closing parenthesis (or the end of the source). */
function callEnd(code: string, start: number): number {
  const open = code.indexOf('(', start);
  if (open === -1) return code.length;
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return code.length;
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
