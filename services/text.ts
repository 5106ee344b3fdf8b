/** Lower case without accents, with typographic apostrophes made plain: "Resonancia Magnética" reads as "resonancia magnetica". */
export function foldAccents(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’`]/g, "'");
}
