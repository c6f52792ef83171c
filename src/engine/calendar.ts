/**
 * Period boundaries (R7.3). Boundary k of `count × interval` is computed from the anchor each
 * time, never from the previous boundary, so an anchor on the 31st comes back whenever the
 * month has one. `Date` is used only as a calendar calculator over given instants.
 */

export type IntervalUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'semi_annual' | 'year';

export const DAY_MS = 86_400_000;
const FIXED_MS: Partial<Record<string, number>> = { minute: 60_000, hour: 3_600_000, day: DAY_MS, week: 7 * DAY_MS };
const MONTHS: Partial<Record<string, number>> = { month: 1, quarter: 3, semi_annual: 6, year: 12 };
const NOMINAL_DAYS: Record<IntervalUnit, number> = {
  minute: 1 / 1440, hour: 1 / 24, day: 1, week: 7, month: 30, quarter: 90, semi_annual: 180, year: 365,
};

export function isIntervalUnit(s: string): s is IntervalUnit {
  return s in NOMINAL_DAYS;
}

/** Nominal period length in minutes, for ordering only (R5.5 key 3). */
export function nominalMinutes(interval: IntervalUnit, count: number): number {
  return Math.round(NOMINAL_DAYS[interval] * 1440) * count;
}

/** `months` calendar months after `instant`, the day clamped to the month's end, time of day kept. */
export function addCalendarMonths(instant: number, months: number): number {
  const d = new Date(instant);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const timeOfDay = instant - Date.UTC(y, m, day);
  const total = y * 12 + m + months;
  const ty = Math.floor(total / 12);
  const tm = total - ty * 12;
  const daysInMonth = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  const at = new Date(0);
  at.setUTCFullYear(ty, tm, Math.min(day, daysInMonth));
  return at.getTime() + timeOfDay;
}

/** Boundary k (k ≥ 0; k = 0 is the anchor) of periods of `count × interval` from `anchor`. */
export function boundary(anchor: number, interval: IntervalUnit, count: number, k: number): number {
  const fixed = FIXED_MS[interval];
  if (fixed !== undefined) return anchor + k * count * fixed;
  return addCalendarMonths(anchor, k * count * (MONTHS[interval] as number));
}

/** The smallest k ≥ 1 whose boundary is strictly after `t`. */
export function firstBoundaryAfter(anchor: number, interval: IntervalUnit, count: number, t: number): number {
  let k: number;
  const fixed = FIXED_MS[interval];
  if (fixed !== undefined) {
    k = Math.floor((t - anchor) / (fixed * count)) + 1;
  } else {
    const a = new Date(anchor);
    const b = new Date(t);
    const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
    k = Math.floor(months / (count * (MONTHS[interval] as number)));
  }
  if (k < 1) k = 1;
  while (k > 1 && boundary(anchor, interval, count, k - 1) > t) k--;
  while (boundary(anchor, interval, count, k) <= t) k++;
  return k;
}
