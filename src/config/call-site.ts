import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '../errors.ts';

/**
 * Turns V8 stack text into a location in the user's file. Only frames outside atmn itself
 * (and outside node internals and the temporary bundle) count, so a throw in a config or
 * a builder's recorded call site points at the user's own line (examples.md: the call
 * site that plan()/item() record while source maps are on).
 */
export function userFrame(stack: string): SourceLocation | undefined {
  for (const line of stack.split('\n')) {
    const frame = parseFrame(line);
    if (frame && isUserFile(frame.file)) return frame;
  }
  return undefined;
}

const FRAME = /^\s*at (?:.*?\()?(?:async )?(.+?):(\d+):(\d+)\)?\s*$/;

function parseFrame(line: string): SourceLocation | undefined {
  const match = FRAME.exec(line);
  if (!match) return undefined;
  let file = match[1] as string;
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  // V8 columns are 1-based; SourceLocation columns are 0-based like esbuild's.
  return { file, line: Number(match[2]), column: Math.max(0, Number(match[3]) - 1) };
}

const OWN_ROOT = ownRoot();

function isUserFile(file: string): boolean {
  if (file.startsWith('node:') || !file.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(file)) return false;
  if (/[\\/]\.[^\\/]+\.\d+-[a-z0-9]+\.mjs$/.test(file)) return false; // our temporary bundle, unmapped
  const normalized = file.replace(/\\/g, '/');
  return !(normalized.startsWith(OWN_ROOT + 'src/') || normalized.startsWith(OWN_ROOT + 'dist/') || normalized.includes('/node_modules/'));
}

/** The folder holding atmn's src/ and dist/ (this file is src/config/*.ts or a dist/*.js chunk). */
function ownRoot(): string {
  const here = import.meta.url;
  const root = new URL(here.endsWith('.ts') ? '../../' : '../', here);
  return fileURLToPath(root).replace(/\\/g, '/');
}
