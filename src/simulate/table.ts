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

export function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

export function renderTable(rows: string[][], options: TableOptions = {}): string[] {
  const indent = ' '.repeat(options.indent ?? 2);
  const gap = ' '.repeat(options.gap ?? 2);
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...rows.map((row) => visibleLength(row[c] ?? ''))));
  // Columns that are empty in every row take no room.
  const used = widths.map((w) => w > 0);
  return rows.map((row) => {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) {
      if (!used[c]) continue;
      const text = row[c] ?? '';
      const pad = ' '.repeat(widths[c]! - visibleLength(text));
      cells.push(options.align?.[c] === 'right' ? pad + text : text + pad);
    }
    return (indent + cells.join(gap)).trimEnd();
  });
}
