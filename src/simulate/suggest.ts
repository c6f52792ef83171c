/** "Did you mean" for misspelt keys and ids: the config's matcher, so both files suggest alike. */
export { closest } from '../config/did-you-mean.ts';

/** "'a', 'b' or 'c'" */
export function listWords(words: readonly string[], conjunction = 'or'): string {
  const quoted = words.map((w) => `'${w}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}
