/**
 * Expectation numbers are compared after rounding both sides half-even to 6 decimals
 * (spec/scenario.md "Expectations"). Done on the decimal text of each number with
 * BigInt, never with binary floating point, so 0.1 + 0.2 style noise cannot decide it.
 */

import { decimalParts } from '../catalog/number-text.ts';

export { plainDecimal } from '../catalog/number-text.ts';

const PLACES = 6;

/** true when a and b agree at 6 decimals, half-even. */
export function sameAt6dp(a: number, b: number): boolean {
  return roundHalfEven(a, PLACES) === roundHalfEven(b, PLACES);
}

/** The number scaled by 10^places and rounded half-even, as a BigInt. */
export function roundHalfEven(value: number, places: number): bigint {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const { negative, digits, exponent } = decimalParts(value);
  // value = digits × 10^exponent; we want round(value × 10^places).
  const shift = exponent + places;
  let magnitude: bigint;
  if (shift >= 0) magnitude = BigInt(digits) * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    const whole = BigInt(digits);
    const quotient = whole / divisor;
    const remainder = whole % divisor;
    const twice = remainder * 2n;
    magnitude = twice > divisor || (twice === divisor && quotient % 2n === 1n) ? quotient + 1n : quotient;
  }
  return negative ? -magnitude : magnitude;
}
