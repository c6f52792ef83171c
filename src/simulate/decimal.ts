/**
 * Expectation numbers are compared after rounding both sides half-even to 6 decimals
 * (spec/scenario.md "Expectations"). Done on the decimal text of each number with
 * BigInt, never with binary floating point, so 0.1 + 0.2 style noise cannot decide it.
 */

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

/** Plain decimal text of a number, never exponent notation: 1e-7 → "0.0000001". */
export function plainDecimal(value: number): string {
  const { negative, digits, exponent } = decimalParts(value);
  let text: string;
  if (exponent >= 0) text = digits + '0'.repeat(exponent);
  else {
    const padded = digits.padStart(-exponent + 1, '0');
    text = `${padded.slice(0, exponent)}.${padded.slice(exponent)}`.replace(/\.?0+$/, '');
  }
  return negative && text !== '0' ? `-${text}` : text;
}

/** The shortest round-tripping decimal of a double, as integer digits and a power of ten. */
function decimalParts(value: number): { negative: boolean; digits: string; exponent: number } {
  const text = String(Math.abs(value));
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!match) throw new RangeError(`cannot read number ${text}`);
  const fraction = match[2] ?? '';
  const digits = ((match[1] ?? '0') + fraction).replace(/^0+(?=\d)/, '');
  const exponent = Number(match[3] ?? 0) - fraction.length;
  return { negative: value < 0 || Object.is(value, -0), digits, exponent };
}
