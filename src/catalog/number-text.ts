/**
 * Numbers as people write them: plain decimal digits, never exponent notation. JavaScript
 * prints 1.5e-7 (a per-token price) and 1e+21 in exponent form; summaries and reports must not.
 */

/** Plain decimal text of a number, never exponent notation: 1e-7 → "0.0000001", 1e21 → "1000000000000000000000". */
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
export function decimalParts(value: number): { negative: boolean; digits: string; exponent: number } {
  const text = String(Math.abs(value));
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!match) throw new RangeError(`cannot read number ${text}`);
  const fraction = match[2] ?? '';
  const digits = ((match[1] ?? '0') + fraction).replace(/^0+(?=\d)/, '');
  const exponent = Number(match[3] ?? 0) - fraction.length;
  return { negative: value < 0 || Object.is(value, -0), digits, exponent };
}
