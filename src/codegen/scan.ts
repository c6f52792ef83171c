/**
 * A small scanner for the parts of an existing autumn.config.ts that `atmn pull` edits:
 * `[export] const X = feature({...})` / `plan({...})` statements at the top level, their
 * literal `id`, and the `import { … } from 'atmn'` line. It understands strings, template
 * literals (with nested `${}`), comments and regex literals well enough to match brackets;
 * it is not a parser, and the TypeScript compiler is not available to users at run time.
 */

export interface Token {
  type: 'ident' | 'punct' | 'string' | 'template' | 'number' | 'regex';
  text: string;
  start: number;
  end: number;
}

export interface BuilderStatement {
  builder: 'feature' | 'plan';
  /** The variable the user chose. */
  name: string;
  /** The literal `id` inside the call, or null when it is computed. */
  id: string | null;
  /** Where the statement starts (`export` or `const`) and ends (after `;` when there is one). */
  start: number;
  end: number;
  /** The `feature(...)` / `plan(...)` call expression. */
  callStart: number;
  callEnd: number;
}

export interface AtmnImport {
  /** Offsets of the `{` and `}` of the named-import list. */
  openBrace: number;
  closeBrace: number;
  names: string[];
}

export interface ScannedSource {
  tokens: Token[];
  statements: BuilderStatement[];
  atmnImport: AtmnImport | null;
  /** End offset of the last top-level import statement, or null. */
  lastImportEnd: number | null;
  /** Every identifier that appears in code (not in strings or comments). */
  identifiers: Set<string>;
}

export function scanSource(source: string): ScannedSource {
  const tokens = tokenize(source);
  const statements: BuilderStatement[] = [];
  let atmnImport: AtmnImport | null = null;
  let lastImportEnd: number | null = null;
  let depth = 0;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (opens(token)) depth += 1;
    else if (closes(token)) depth -= 1;
    if (depth !== 0 || !startsStatement(source, tokens, index)) continue;
    if (token.type === 'ident' && token.text === 'import') {
      const found = readImport(tokens, index);
      if (found) {
        lastImportEnd = found.end;
        if (found.atmn) atmnImport = found.atmn;
        index = found.lastIndex;
      }
      continue;
    }
    const statement = readBuilderStatement(source, tokens, index);
    if (statement) {
      statements.push(statement.statement);
      index = statement.lastIndex;
    }
  }
  const identifiers = new Set(tokens.filter((token) => token.type === 'ident').map((token) => token.text));
  return { tokens, statements, atmnImport, lastImportEnd, identifiers };
}

/** A token begins a statement when nothing precedes it, or `;`/`}` does, or a line break does (no-semicolon style). */
function startsStatement(source: string, tokens: Token[], index: number): boolean {
  const previous = tokens[index - 1];
  if (previous === undefined || (previous.type === 'punct' && (previous.text === ';' || previous.text === '}'))) return true;
  return source.slice(previous.end, tokens[index]!.start).includes('\n');
}

function readImport(tokens: Token[], index: number): { end: number; lastIndex: number; atmn: AtmnImport | null } | null {
  let cursor = index + 1;
  const typeOnly = isIdent(tokens[cursor], 'type') && isPunct(tokens[cursor + 1], '{');
  let braces: { open: number; close: number; names: string[] } | null = null;
  while (cursor < tokens.length) {
    const token = tokens[cursor]!;
    if (token.type === 'punct' && token.text === '{') {
      const names: string[] = [];
      const open = token.start;
      cursor += 1;
      while (cursor < tokens.length && !isPunct(tokens[cursor], '}')) {
        const inner = tokens[cursor]!;
        // `a as b` imports b; `type X` imports no value
        if (inner.type === 'ident' && inner.text !== 'type' && !isIdent(tokens[cursor + 1], 'as') && !isIdent(tokens[cursor - 1], 'as')) names.push(inner.text);
        cursor += 1;
      }
      braces = { open, close: tokens[cursor]?.start ?? open, names };
    } else if (token.type === 'string') {
      const last = isPunct(tokens[cursor + 1], ';') ? cursor + 1 : cursor;
      const isAtmn = unquote(token.text) === 'atmn' && braces !== null && !typeOnly;
      return {
        end: tokens[last]!.end,
        lastIndex: last,
        atmn: isAtmn && braces ? { openBrace: braces.open, closeBrace: braces.close, names: braces.names } : null,
      };
    }
    cursor += 1;
  }
  return null;
}

function readBuilderStatement(source: string, tokens: Token[], index: number): { statement: BuilderStatement; lastIndex: number } | null {
  let cursor = index;
  if (isIdent(tokens[cursor], 'export')) cursor += 1;
  const keyword = tokens[cursor];
  if (!keyword || !['const', 'let', 'var'].some((word) => isIdent(keyword, word))) return null;
  const nameToken = tokens[cursor + 1];
  if (!nameToken || nameToken.type !== 'ident') return null;
  cursor += 2;
  if (isPunct(tokens[cursor], ':')) {
    // a type annotation: skip to the `=` on this level
    let depth = 0;
    while (cursor < tokens.length && !(depth === 0 && isPunct(tokens[cursor], '='))) {
      if (opens(tokens[cursor])) depth += 1;
      if (closes(tokens[cursor])) depth -= 1;
      cursor += 1;
    }
  }
  if (!isPunct(tokens[cursor], '=')) return null;
  const callee = tokens[cursor + 1];
  if (!callee || !(isIdent(callee, 'feature') || isIdent(callee, 'plan')) || !isPunct(tokens[cursor + 2], '(')) return null;
  const close = matchingIndex(tokens, cursor + 2);
  if (close === null) return null;
  let last = close;
  // `as const`, `satisfies X` and the like run to the `;`, unless a new line starts a new statement first
  for (let next = close + 1; next < tokens.length; next += 1) {
    const token = tokens[next]!;
    if (isPunct(token, ';')) {
      last = next;
      break;
    }
    if (source.slice(tokens[next - 1]!.end, token.start).includes('\n') && !isIdent(token, 'as') && !isIdent(token, 'satisfies')) break;
    if (opens(token)) {
      const end = matchingIndex(tokens, next);
      if (end === null) break;
      next = end;
    }
    last = next;
  }
  return {
    statement: {
      builder: callee.text as 'feature' | 'plan',
      name: nameToken.text,
      id: literalId(tokens, cursor + 3, close),
      start: tokens[index]!.start,
      end: tokens[last]!.end,
      callStart: callee.start,
      callEnd: tokens[close]!.end,
    },
    lastIndex: last,
  };
}

/** The `id: '…'` of the object literal that starts at `open`, when it is a plain string. */
function literalId(tokens: Token[], open: number, close: number): string | null {
  if (!isPunct(tokens[open], '{')) return null;
  let depth = 0;
  for (let index = open; index < close; index += 1) {
    const token = tokens[index]!;
    if (opens(token)) depth += 1;
    else if (closes(token)) depth -= 1;
    else if (depth === 1 && (isIdent(token, 'id') || (token.type === 'string' && unquote(token.text) === 'id')) && isPunct(tokens[index + 1], ':')) {
      const previous = tokens[index - 1];
      if (!(isPunct(previous, '{') || isPunct(previous, ','))) continue;
      const value = tokens[index + 2];
      const after = tokens[index + 3];
      const plain = value && (value.type === 'string' || (value.type === 'template' && !value.text.includes('${')));
      if (plain && (isPunct(after, ',') || isPunct(after, '}'))) return unquote(value.text);
      return null;
    }
  }
  return null;
}

function matchingIndex(tokens: Token[], open: number): number | null {
  let depth = 0;
  for (let index = open; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (opens(token)) depth += 1;
    else if (closes(token)) {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return null;
}

function isIdent(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.type === 'ident' && token.text === text;
}

function isPunct(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.type === 'punct' && token.text === text;
}

function opens(token: Token | undefined): boolean {
  return token !== undefined && token.type === 'punct' && '([{'.includes(token.text);
}

function closes(token: Token | undefined): boolean {
  return token !== undefined && token.type === 'punct' && ')]}'.includes(token.text);
}

/** The value of a string or substitution-free template literal token. */
function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  return body.replace(/\\(u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|\r\n|[\s\S])/g, (_match, escape: string, braced?: string, hex4?: string, hex2?: string) => {
    if (braced) return String.fromCodePoint(parseInt(braced, 16));
    if (hex4) return String.fromCharCode(parseInt(hex4, 16));
    if (hex2) return String.fromCharCode(parseInt(hex2, 16));
    switch (escape) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case '0':
        return '\0';
      case '\n':
      case '\r\n':
      case '\u2028':
      case '\u2029':
        return '';
      default:
        return escape;
    }
  });
}

const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await']);

/** Tokens of `source`, comments and whitespace dropped. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const length = source.length;
  while (index < length) {
    const char = source[index]!;
    const code = source.charCodeAt(index);
    if (code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0xfeff || code === 0x2028 || code === 0x2029) {
      index += 1;
      continue;
    }
    const next = source[index + 1];
    if (char === '/' && next === '/') {
      const end = source.indexOf('\n', index);
      index = end < 0 ? length : end;
      continue;
    }
    if (char === '/' && next === '*') {
      const end = source.indexOf('*/', index + 2);
      index = end < 0 ? length : end + 2;
      continue;
    }
    const start = index;
    if (char === "'" || char === '"') {
      index = skipQuoted(source, index, char);
      tokens.push({ type: 'string', text: source.slice(start, index), start, end: index });
    } else if (char === '`') {
      index = skipTemplate(source, index);
      tokens.push({ type: 'template', text: source.slice(start, index), start, end: index });
    } else if (isIdentifierStart(code)) {
      while (index < length && isIdentifierPart(source.charCodeAt(index))) index += 1;
      tokens.push({ type: 'ident', text: source.slice(start, index), start, end: index });
    } else if (/[0-9]/.test(char) || (char === '.' && next !== undefined && /[0-9]/.test(next))) {
      while (index < length && /[0-9A-Za-z_.]/.test(source[index]!)) index += 1;
      tokens.push({ type: 'number', text: source.slice(start, index), start, end: index });
    } else if (char === '/' && regexAllowed(tokens[tokens.length - 1])) {
      index = skipRegex(source, index);
      tokens.push({ type: 'regex', text: source.slice(start, index), start, end: index });
    } else {
      index += 1;
      tokens.push({ type: 'punct', text: char, start, end: index });
    }
  }
  return tokens;
}

function isIdentifierStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 || code >= 0x80;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}

function regexAllowed(previous: Token | undefined): boolean {
  if (previous === undefined) return true;
  if (previous.type === 'ident') return REGEX_AFTER_WORDS.has(previous.text);
  if (previous.type === 'punct') return !')]}'.includes(previous.text);
  return false;
}

function skipQuoted(source: string, start: number, quote: string): number {
  let index = start + 1;
  while (index < source.length) {
    const char = source[index]!;
    if (char === '\\') index += 2;
    else if (char === quote || char === '\n') return index + 1;
    else index += 1;
  }
  return source.length;
}

function skipTemplate(source: string, start: number): number {
  let index = start + 1;
  while (index < source.length) {
    const char = source[index]!;
    if (char === '\\') index += 2;
    else if (char === '`') return index + 1;
    else if (char === '$' && source[index + 1] === '{') index = skipSubstitution(source, index + 2);
    else index += 1;
  }
  return source.length;
}

/** From just after `${` to just after its `}`: a nested expression, tokenized to find the brace. */
function skipSubstitution(source: string, start: number): number {
  let depth = 1;
  let index = start;
  while (index < source.length) {
    const char = source[index]!;
    if (char === "'" || char === '"') index = skipQuoted(source, index, char);
    else if (char === '`') index = skipTemplate(source, index);
    else if (char === '/' && source[index + 1] === '/') {
      const end = source.indexOf('\n', index);
      index = end < 0 ? source.length : end;
    } else if (char === '/' && source[index + 1] === '*') {
      const end = source.indexOf('*/', index + 2);
      index = end < 0 ? source.length : end + 2;
    } else if (char === '{') {
      depth += 1;
      index += 1;
    } else if (char === '}') {
      depth -= 1;
      index += 1;
      if (depth === 0) return index;
    } else index += 1;
  }
  return source.length;
}

function skipRegex(source: string, start: number): number {
  let index = start + 1;
  let inClass = false;
  while (index < source.length) {
    const char = source[index]!;
    if (char === '\\') index += 2;
    else if (char === '\n') return index;
    else if (char === '[') {
      inClass = true;
      index += 1;
    } else if (char === ']') {
      inClass = false;
      index += 1;
    } else if (char === '/' && !inClass) {
      index += 1;
      while (index < source.length && /[a-z]/i.test(source[index]!)) index += 1;
      return index;
    } else index += 1;
  }
  return source.length;
}
