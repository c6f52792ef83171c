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
  const nextCall = /\b(?:item|plan|feature)\s*\(/g;
  nextCall.lastIndex = start + (location.length ?? 1);
  const end = nextCall.exec(source)?.index ?? source.length;
  let position = start;
  let found: { index: number; key: string } | undefined;
  let skip = 0;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      skip = segment;
      continue;
    }
    const pattern = new RegExp(`(?<![\\w$])['"]?${escape(segment)}['"]?\\s*:`, 'g');
    pattern.lastIndex = position;
    let match: RegExpExecArray | null = null;
    for (let n = 0; n <= skip; n++) {
      match = pattern.exec(source);
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
  const quoted = source[found.index] === '"' || source[found.index] === "'";
  return { ...location, line: line + 1, column: found.index - lineStart + (quoted ? 1 : 0), lineText, length: found.key.length };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
