/**
 * "Did you mean" for unknown keys, feature ids and enum values: the closest candidate by
 * edit distance (case-insensitive), if it is close enough to be a likely typo.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(input.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** `did you mean 'seats'?`, or undefined when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const match = closest(input, candidates);
  return match === undefined ? undefined : `did you mean '${match}'?`;
}

/** Optimal string alignment distance: a swap of two neighbours ("chta" → "chat") counts as one edit. */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((rows[i - 1]![j] as number) + 1, (row[j - 1] as number) + 1, (rows[i - 1]![j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (rows[i - 2]![j - 2] as number) + 1);
      row[j] = best;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length] as number;
}
