/** Features sorted by id, plans sorted by id: the order everything rendered from a Catalog uses. */
export function sortedIds(record: Record<string, unknown>): string[] {
  return Object.keys(record).sort(compareIds);
}

/** UTF-16 code unit order, no locale (semantics R2.1, R5.13). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
