/**
 * Scenario time (spec/scenario.md "advance"): UTC instants in milliseconds, durations
 * written "N unit(s)", and calendar months added by semantics.md R7.3 with the current
 * clock as the anchor. Pure: no clock is read here.
 */

import { addCalendarMonths } from '../engine/index.ts';

export const DURATION_UNITS = ['minute', 'hour', 'day', 'week', 'month', 'year'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
export interface Duration {
  count: number;
  unit: DurationUnit;
}

const EXACT_MS: Record<'minute' | 'hour' | 'day' | 'week', number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

const DURATION = /^\s*([1-9][0-9]*)\s+(minute|hour|day|week|month|year)s?\s*$/;

/** "1 month", "3 days", "2 weeks" → {count, unit}; anything else → null. */
export function parseDuration(text: string): Duration | null {
  const match = DURATION.exec(text);
  if (!match) return null;
  const count = Number(match[1]);
  if (!Number.isSafeInteger(count)) return null;
  return { count, unit: match[2] as DurationUnit };
}

// An instant must say it is UTC: a trailing Z or +00:00 (no local times, no offsets).
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|\+00:00|-00:00)$/;

/** Milliseconds since the epoch, or null when the text is not a real UTC instant. */
export function parseInstant(text: string): number | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const milli = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, milli);
  const back = new Date(ms);
  // Date.UTC rolls Feb 30 over to Mar 2; a real instant reads back unchanged.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return ms;
}

export function isUtcInstant(text: string): boolean {
  return parseInstant(text) !== null;
}

/** "2026-02-01T00:00:00Z"; milliseconds only when there are some. */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}

/** "2026-02-01", or "2026-02-01 09:30" when the time of day is not midnight. */
export function formatShortInstant(ms: number): string {
  const iso = formatInstant(ms);
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 16);
  return iso.slice(11) === '00:00:00Z' ? date : `${date} ${time}`;
}

/** The instant `duration` after `ms`: exact for minutes to weeks, calendar for months and years. */
export function addDuration(ms: number, duration: Duration): number {
  switch (duration.unit) {
    case 'month':
      return addCalendarMonths(ms, duration.count);
    case 'year':
      return addCalendarMonths(ms, 12 * duration.count);
    default:
      return ms + duration.count * EXACT_MS[duration.unit];
  }
}
