/**
 * Exact quantities (semantics.md §0): no binary floating point in arithmetic.
 *
 * A quantity `Q` is a value scaled by SCALE (10^6). Most values are integers at that scale
 * and fit a safe-integer JS number, which is the fast path (plain machine arithmetic, still
 * exact). Anything else — more than 6 decimals, huge magnitudes, and the exact quotients of
 * credit-cost divisions (R4.3, R5.12) — is a `Rat`: a reduced fraction of big integers of the
 * scaled value. Operations return a number whenever the exact result fits, so a value that
 * left the fast path comes back to it.
 */

export const SCALE = 1_000_000;
const SCALE_N = 1_000_000n;
const MAX = Number.MAX_SAFE_INTEGER;
const MAX_N = BigInt(MAX);

/** n/d is the scaled value; d > 0, gcd(n, d) = 1, and never an integer that fits a number. */
export class Rat {
  constructor(readonly n: bigint, readonly d: bigint) {}
}

export type Q = number | Rat;

export const ZERO: Q = 0;
export const ONE: Q = SCALE;

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

function make(n: bigint, d: bigint): Q {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  if (d !== 1n) {
    const g = gcd(n, d);
    if (g !== 1n) {
      n /= g;
      d /= g;
    }
  }
  if (d === 1n && n <= MAX_N && n >= -MAX_N) return Number(n);
  return new Rat(n, d);
}

const numOf = (q: Q): bigint => (typeof q === 'number' ? BigInt(q) : q.n);
const denOf = (q: Q): bigint => (typeof q === 'number' ? 1n : q.d);

export function add(a: Q, b: Q): Q {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= MAX && r >= -MAX) return r;
  }
  const ad = denOf(a);
  const bd = denOf(b);
  return ad === bd ? make(numOf(a) + numOf(b), ad) : make(numOf(a) * bd + numOf(b) * ad, ad * bd);
}

export function sub(a: Q, b: Q): Q {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return add(a, neg(b));
}

export function neg(a: Q): Q {
  return typeof a === 'number' ? (a === 0 ? 0 : -a) : new Rat(-a.n, a.d);
}

export function cmp(a: Q, b: Q): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const l = numOf(a) * denOf(b);
  const r = numOf(b) * denOf(a);
  return l < r ? -1 : l > r ? 1 : 0;
}

export const isPos = (a: Q): boolean => (typeof a === 'number' ? a > 0 : a.n > 0n);
export const isNeg = (a: Q): boolean => (typeof a === 'number' ? a < 0 : a.n < 0n);
export const lt = (a: Q, b: Q): boolean => cmp(a, b) < 0;
export const min = (a: Q, b: Q): Q => (cmp(a, b) <= 0 ? a : b);
export const max = (a: Q, b: Q): Q => (cmp(a, b) >= 0 ? a : b);
/** max(0, a) */
export const pos = (a: Q): Q => (isNeg(a) ? 0 : a);

/** The product of two values: (a × b) at scale. */
export function mul(a: Q, b: Q): Q {
  if (typeof a === 'number' && typeof b === 'number') {
    const p = a * b;
    if (p <= MAX && p >= -MAX && p % SCALE === 0) return p / SCALE;
  }
  return make(numOf(a) * numOf(b), denOf(a) * denOf(b) * SCALE_N);
}

/** The exact quotient of two values; b ≠ 0. */
export function div(a: Q, b: Q): Q {
  if (typeof a === 'number' && typeof b === 'number') {
    const p = a * SCALE;
    if (p <= MAX && p >= -MAX && p % b === 0) return p / b;
  }
  return make(numOf(a) * denOf(b) * SCALE_N, denOf(a) * numOf(b));
}

/** An integer count as a quantity. */
export function fromInt(n: number): Q {
  const r = n * SCALE;
  return Number.isSafeInteger(r) ? r : make(BigInt(n) * SCALE_N, 1n);
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/** A finite JS number or decimal string as an exact quantity, or null if it is not one. */
export function parse(input: unknown): Q | null {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return null;
    if (Number.isInteger(input) && Math.abs(input) <= 9_000_000_000) return input === 0 ? 0 : input * SCALE;
    return parseString(String(input));
  }
  if (typeof input === 'string') return parseString(input.trim());
  return null;
}

function parseString(s: string): Q | null {
  const m = DECIMAL.exec(s);
  if (m === null) return null;
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  if (intPart === '' && frac === '') return null;
  const exp = Number(m[4] ?? '0') - frac.length;
  let n = BigInt((intPart || '0') + frac);
  if (m[1] === '-') n = -n;
  // value = n × 10^exp; scaled = n × 10^(exp + 6)
  const e = exp + 6;
  return e >= 0 ? make(n * 10n ** BigInt(e), 1n) : make(n, 10n ** BigInt(-e));
}

/** Decimal number from the catalog (a JS number) — the catalog's numbers are decimal literals. */
export function fromNumber(x: number): Q {
  const q = parse(x);
  if (q === null) throw new RangeError(`not a finite number: ${x}`);
  return q;
}

function roundHalfEven(n: bigint, d: bigint): bigint {
  // d > 0
  let q = n / d;
  let r = n % d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  const twice = 2n * r;
  if (twice > d || (twice === d && q % 2n !== 0n)) q += 1n;
  return q;
}

const TEN_DP = 10_000_000_000n;

/** The figure that leaves the engine: rounded half-even to 10 decimal places (§0). */
export function toNumber(q: Q): number {
  if (typeof q === 'number') return q / SCALE;
  const m = roundHalfEven(q.n * TEN_DP, q.d * SCALE_N);
  return Number(`${m}e-10`);
}

/** Money rounded to cents, halves away from 0 (R8.8). */
export function roundCents(q: Q): Q {
  const n = numOf(q) * 100n;
  const d = denOf(q) * SCALE_N;
  let cents = n / d;
  const r = n % d;
  const twice = 2n * (r < 0n ? -r : r);
  if (twice >= d) cents += n < 0n ? -1n : 1n;
  return make(cents * (SCALE_N / 100n), 1n);
}

/** ceil(value) for a non-negative or negative value, as a quantity. */
export function ceil(q: Q): Q {
  const n = numOf(q);
  const d = denOf(q) * SCALE_N;
  let i = n / d;
  if (n % d !== 0n && n > 0n) i += 1n;
  return make(i * SCALE_N, 1n);
}

/** floor(value) as a quantity. */
export function floor(q: Q): Q {
  const n = numOf(q);
  const d = denOf(q) * SCALE_N;
  let i = n / d;
  if (n % d !== 0n && n < 0n) i -= 1n;
  return make(i * SCALE_N, 1n);
}

/** Serialised form: the scaled integer as a JSON number, or "n/d" of the scaled value. */
export function encode(q: Q): number | string {
  return typeof q === 'number' ? q : `${q.n}/${q.d}`;
}

export function decode(v: number | string): Q {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new RangeError(`bad quantity ${v}`);
    return v;
  }
  const m = /^(-?\d+)\/(\d+)$/.exec(v);
  if (m === null || m[2] === '0') throw new RangeError(`bad quantity ${v}`);
  return make(BigInt(m[1] as string), BigInt(m[2] as string));
}
