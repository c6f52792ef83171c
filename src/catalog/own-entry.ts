/**
 * A lookup in an id-keyed record that sees only the record's own entries. Ids such as
 * `constructor` or `toString` match ^[a-zA-Z0-9_-]+$, and a plain `record[id]` would find
 * Object.prototype's member instead of "absent" (for `id in record`, use Object.hasOwn).
 */
export function ownEntry<T>(record: Record<string, T>, id: string): T | undefined {
  return Object.hasOwn(record, id) ? record[id] : undefined;
}
