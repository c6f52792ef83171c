/**
 * ANSI colors for the renderers. Not kleur: kleur reads the environment when imported, and
 * the sync core reads no environment; the shell decides `color` and passes it in.
 */
const CODES = {
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
} as const;

export type Paint = keyof typeof CODES;

export function paint(color: boolean, style: Paint, text: string): string {
  if (!color || text === '') return text;
  const [open, close] = CODES[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}
