import { describe, expect, it } from 'vitest';
import { renderTable, visibleLength } from '../../src/simulate/table.ts';

describe('report tables', () => {
  it('measure terminal columns: wide CJK characters take two, color codes and combining marks none', () => {
    expect(visibleLength('seat-1')).toBe(6);
    expect(visibleLength('ユーザー')).toBe(8);
    expect(visibleLength('組織 (seats)')).toBe(12);
    expect(visibleLength('\u001b[32m✓\u001b[39m')).toBe(1);
    expect(visibleLength('e\u0301')).toBe(1);
  });

  it('line up rows that mix ASCII and wide ids', () => {
    expect(renderTable([['customer (all)', '1 used'], ['ユーザー (seats)', '–']])).toEqual([
      '  customer (all)    1 used',
      '  ユーザー (seats)  –',
    ]);
  });

  it('render more rows than a function call can take arguments', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => [`period ${i + 1}`, '$30.00']);
    const out = renderTable(rows, { align: ['left', 'right'] });
    expect(out).toHaveLength(300_000);
    expect(out[0]).toBe('  period 1       $30.00');
    expect(out[299_999]).toBe('  period 300000  $30.00');
  });
});
