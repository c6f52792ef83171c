import { describe, expect, it } from 'vitest';
import { plainDecimal, roundHalfEven, sameAt6dp } from '../../src/simulate/decimal.ts';
import { formatMoney, formatNumber } from '../../src/simulate/format.ts';

describe('expectation numbers: 6 decimals, half-even (scenario.md)', () => {
  it('treats float noise as equal', () => {
    expect(sameAt6dp(0.1 + 0.2, 0.3)).toBe(true);
    expect(sameAt6dp(1 / 3, 0.333333)).toBe(true);
  });

  it('rounds a half to the even neighbour', () => {
    expect(roundHalfEven(0.0000005, 6)).toBe(0n);
    expect(roundHalfEven(0.0000015, 6)).toBe(2n);
    expect(roundHalfEven(0.0000025, 6)).toBe(2n);
    expect(roundHalfEven(-0.0000035, 6)).toBe(-4n);
    expect(sameAt6dp(0.0000005, 0)).toBe(true);
    expect(sameAt6dp(0.0000015, 0.000001)).toBe(false);
  });

  it('tells apart numbers that differ at the 6th decimal', () => {
    expect(sameAt6dp(0.000001, 0.000002)).toBe(false);
    expect(sameAt6dp(150, 149.99)).toBe(false);
    expect(sameAt6dp(1e21, 1e21)).toBe(true);
  });

  it('writes numbers without exponents', () => {
    expect(plainDecimal(1e-7)).toBe('0.0000001');
    expect(plainDecimal(2.5e3)).toBe('2500');
    expect(plainDecimal(-0.25)).toBe('-0.25');
  });
});

describe('report figures', () => {
  it('prints quantities with at most 6 decimals and money in dollars and cents', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(-4)).toBe('-4');
    expect(formatNumber(1.2345678)).toBe('1.234568');
    expect(formatMoney(150)).toBe('$150.00');
    expect(formatMoney(1234.5)).toBe('$1,234.50');
    expect(formatMoney(0.5)).toBe('$0.50');
    expect(formatMoney(-12.3)).toBe('-$12.30');
    expect(formatMoney(0)).toBe('$0.00');
  });

  it('prints money past 2^53 cents exactly (amount × 100 in floating point is off by dollars there)', () => {
    expect(formatMoney(1e21)).toBe('$1,000,000,000,000,000,000,000.00');
    expect(formatMoney(123456789012345.67)).toBe('$123,456,789,012,345.67');
  });
});
