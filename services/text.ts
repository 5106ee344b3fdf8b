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
