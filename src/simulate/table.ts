/**
 * Aligned plain-text tables for the report. Widths are measured without ANSI color codes,
 * so a colored table lines up exactly like the uncolored one. The last column is never
 * padded, so lines carry no trailing spaces.
 */
export type Align = 'left' | 'right';

export interface TableOptions {
  indent?: number;
  gap?: number;
  align?: Align[];
}

const ANSI = /\u001b\[[0-9;]*m/g;
// East Asian wide and fullwidth characters and emoji take two terminal columns; combining marks none.
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200B-\u200D\uFE0F]/u;

/** Terminal columns the text takes, ANSI color codes left out. */
export function visibleLength(text: string): number {
  let width = 0;
  for (const char of text.replace(ANSI, '')) width += WIDE.test(char) ? 2 : ZERO_WIDTH.test(char) ? 0 : 1;
  return width;
}

export function renderTable(rows: string[][], options: TableOptions = {}): string[] {
  const indent = ' '.repeat(options.indent ?? 2);
  const gap = ' '.repeat(options.gap ?? 2);
  // Loops, not Math.max(...rows): a long run has more rows than a call can take arguments.
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, c) => {
      widths[c] = Math.max(widths[c] ?? 0, visibleLength(cell));
    });
  }
  const columns = widths.length;
  // Columns that are empty in every row take no room.
  const used = widths.map((w) => w > 0);
  return rows.map((row) => {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) {
      if (!used[c]) continue;
      const text = row[c] ?? '';
      const pad = ' '.repeat((widths[c] ?? 0) - visibleLength(text));
      cells.push(options.align?.[c] === 'right' ? pad + text : text + pad);
    }
    return (indent + cells.join(gap)).trimEnd();
  });
}
