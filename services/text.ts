/** A catalogue sentence with its {name} places filled in (an unknown name is left empty). */
export function fillIn(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}

/** Lower case without accents, with typographic apostrophes made plain: "Resonancia Magnética" reads as "resonancia magnetica". */
export function foldAccents(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’`]/g, "'");
}

/** The text without emoji (pictographs, skin tones, joiners), spaces collapsed: "la 1 😊" reads as "la 1". */
export function withoutEmoji(s: string): string {
  return s.replace(/\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f/gu, ' ').replace(/\s+/g, ' ').trim();
}

/** Each all-lower-case word capitalized, the rest as written: "northside family" reads as "Northside Family". */
export function titleCase(s: string): string {
  return s.replace(/(?<![\p{L}\p{N}])\p{L}[\p{L}'’]*/gu, (w) => (w === w.toLowerCase() ? w[0]!.toUpperCase() + w.slice(1) : w));
}
