const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * A whole-word (or whole-phrase) matcher over folded text, longest alternative first so "pet ct" is read before
 * "ct"; group 1 is the phrase. Flag `g` for every occurrence.
 */
export function phrases(list: readonly string[], flags = ''): RegExp {
  const alternatives = [...new Set(list)].sort((a, b) => b.length - a.length).map(esc);
  return new RegExp(`(?<![a-z0-9])(${alternatives.join('|')})(?![a-z0-9])`, flags);
}
