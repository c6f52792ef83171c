import { describe, expect, it } from 'vitest';
import { addDuration, formatInstant, parseDuration, parseInstant } from '../../src/simulate/time.ts';

const at = (iso: string) => parseInstant(iso)!;

describe('advance durations (scenario.md "advance")', () => {
  it('reads "N unit(s)" for every unit, singular or plural', () => {
    expect(parseDuration('1 month')).toEqual({ count: 1, unit: 'month' });
    expect(parseDuration('3 days')).toEqual({ count: 3, unit: 'day' });
    expect(parseDuration('2 weeks')).toEqual({ count: 2, unit: 'week' });
    expect(parseDuration('10 minutes')).toEqual({ count: 10, unit: 'minute' });
    expect(parseDuration('1 years')).toEqual({ count: 1, unit: 'year' });
  });

  it('rejects zero, negatives, fractions and unknown units', () => {
    for (const bad of ['0 months', '-1 month', '1.5 months', 'month', '1 fortnight', '1month', '']) expect(parseDuration(bad)).toBeNull();
  });

  it('adds months by the calendar from the current clock: Jan 31 → Feb 28 → Mar 28', () => {
    const feb = addDuration(at('2026-01-31T10:00:00Z'), { count: 1, unit: 'month' });
    expect(formatInstant(feb)).toBe('2026-02-28T10:00:00Z');
    expect(formatInstant(addDuration(feb, { count: 1, unit: 'month' }))).toBe('2026-03-28T10:00:00Z');
  });

  it('clamps to Feb 29 in leap years and adds 12 months per year', () => {
    expect(formatInstant(addDuration(at('2024-01-31T00:00:00Z'), { count: 1, unit: 'month' }))).toBe('2024-02-29T00:00:00Z');
    expect(formatInstant(addDuration(at('2024-02-29T00:00:00Z'), { count: 1, unit: 'year' }))).toBe('2025-02-28T00:00:00Z');
    expect(formatInstant(addDuration(at('2025-11-15T00:00:00Z'), { count: 3, unit: 'month' }))).toBe('2026-02-15T00:00:00Z');
  });

  it('adds minutes to weeks as exact durations', () => {
    expect(formatInstant(addDuration(at('2026-01-01T00:00:00Z'), { count: 90, unit: 'minute' }))).toBe('2026-01-01T01:30:00Z');
    expect(formatInstant(addDuration(at('2026-03-28T12:00:00Z'), { count: 2, unit: 'day' }))).toBe('2026-03-30T12:00:00Z');
    expect(formatInstant(addDuration(at('2026-01-01T00:00:00Z'), { count: 1, unit: 'week' }))).toBe('2026-01-08T00:00:00Z');
  });
});

describe('UTC instants', () => {
  it('accepts Z and +00:00 with optional seconds and milliseconds', () => {
    expect(parseInstant('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
    expect(parseInstant('2026-01-01T09:30Z')).toBe(Date.UTC(2026, 0, 1, 9, 30));
    expect(parseInstant('2026-01-01T00:00:00.5+00:00')).toBe(Date.UTC(2026, 0, 1, 0, 0, 0, 500));
  });

  it('rejects local times, other offsets and days that do not exist', () => {
    for (const bad of ['2026-01-01T00:00:00', '2026-01-01', '2026-01-01T00:00:00+02:00', '2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z']) {
      expect(parseInstant(bad)).toBeNull();
    }
  });
});
