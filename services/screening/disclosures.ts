import { z } from 'zod';
import { foldAccents } from '../text';

/** What a patient may say, anywhere in a conversation, that a technologist or nurse must see (domain.md §4). */
export const DisclosureKind = z.enum(['contrast_reaction', 'implant_device', 'pregnancy', 'kidney']);
export type DisclosureKind = z.infer<typeof DisclosureKind>;

export const Disclosure = z.object({
  kind: DisclosureKind,
  /** The patient's own words, verbatim (bounded). */
  words: z.string().min(1).max(500),
  at: z.date(),
  /** Where it was said: a screening question's id, a step of a flow, or `conversation`. */
  said: z.string().max(60),
});
export type Disclosure = z.infer<typeof Disclosure>;

// Each rule is read on accent-folded, lower-cased text; a negated mention ("no pacemaker", "never had a reaction")
// is not a disclosure.
const RULES: Array<{ kind: DisclosureKind; re: RegExp }> = [
  {
    kind: 'contrast_reaction',
    re: /\b(hives|rash|itch\w*|swell\w*|reaction|allerg\w*|anaphyla\w*|couldn'?t breathe|throat closed|urticaria|ronchas|reaccion|alergi\w*|hinch\w*|comezon)\b.{0,60}\b(contrast|dye|iodine|gadolinium|contraste|yodo|gadolinio)\b|\b(contrast|dye|iodine|gadolinium|contraste|yodo|gadolinio)\b.{0,60}\b(hives|rash|itch\w*|swell\w*|reaction|allergic|anaphyla\w*|ronchas|reaccion|alergi\w*|hinch\w*)\b/,
  },
  {
    kind: 'implant_device',
    re: /\b(pacemaker|defibrillator|icd|pacing wires?|cochlear|neurostimulator|spinal cord stimulator|stimulator|insulin pump|pain pump|implanted pump|aneurysm clip|clip|stent|shrapnel|bullet|metal (plate|rod|screw|pin)s?|plates? and screws|screws? in my|surgical clips?|knee replacement|hip replacement|shoulder replacement|joint replacement|replaced (knee|hip|shoulder)|implant\w*|prosthe\w*|metal in my (eye|body)|metal (shavings?|fragments?|slivers?|pieces?|splinters?)|metal .{0,30}(out of|from|in) (my|his|her) (right |left )?eyes?|metal plates?|(plate|rod|pins?) in (my|his|her)|placas? de metal|una placa|clavos?|marcapasos|desfibrilador|implante\w*|estimulador|neuroestimulador|bomba de insulina|clip de aneurisma|metralla|bala|tornillos?|protesis|reemplazo de (rodilla|cadera|hombro)|metal en (el|los|mi|mis) (ojo|ojos|cuerpo))\b/,
  },
  { kind: 'pregnancy', re: /\b(i'?m pregnant|i am pregnant|might be pregnant|could be pregnant|may be pregnant|pregnant|expecting a baby|weeks along|\d{1,2} weeks pregnant|embarazada|\d{1,2} semanas de embarazo|estoy esperando (un )?bebe)\b/ },
  {
    kind: 'kidney',
    re: /\b(kidney (disease|failure|problems?|transplant|issues?)|renal (failure|disease|insufficiency)|dialysis|one kidney|ckd|enfermedad (de los|del) rinon(es)?|insuficiencia renal|dialisis|trasplante de rinon|problemas? (de|en) (los|el) rinon(es)?)\b/,
  },
];
/** A mention in the same clause after one of these is denied ("no pacemaker", "never had a reaction"). */
const NEGATED = /\b(no|not|never|without|don'?t have|do not have|haven'?t|have not|nunca|sin|no tengo|ningun\w*)\b[^,.;!?]{0,40}$/;
/** "Do I need…?" questions about a kind are not a disclosure of it ("is it safe if I'm pregnant?" still is). */
const ASKING_ONLY = /^(what|how|do|does|can|will|que|como|puedo|necesito)\b[^.]*\b(if|si)\b/;

/** The disclosures in one message, each with the message's own words; none when the mention is denied. */
export function findDisclosures(text: string, said: string, at: Date): Disclosure[] {
  const words = text.trim().slice(0, 500);
  if (!words) return [];
  const t = foldAccents(words).toLowerCase();
  if (ASKING_ONLY.test(t) && !/\b(i'?m|i am|i have|i had|tengo|tuve|estoy)\b/.test(t)) return [];
  const out: Disclosure[] = [];
  for (const { kind, re } of RULES) {
    const m = re.exec(t);
    if (!m) continue;
    if (NEGATED.test(t.slice(0, m.index)) && !hasLaterMention(t.slice(m.index + m[0].length), re)) continue;
    out.push({ kind, words, at, said });
  }
  return out;
}

function hasLaterMention(rest: string, re: RegExp): boolean {
  const m = re.exec(rest);
  return m !== null && !NEGATED.test(rest.slice(0, m.index));
}

/** The kinds of disclosure a screening question asks about: its free-text answer is stored under that kind too. */
export const KIND_OF_QUESTION: Record<string, DisclosureKind | undefined> = {
  pacemaker: 'implant_device',
  cochlear: 'implant_device',
  neurostimulator: 'implant_device',
  pump: 'implant_device',
  aneurysm_clip: 'implant_device',
  shrapnel: 'implant_device',
  implants: 'implant_device',
  pregnancy: 'pregnancy',
  contrast_reaction: 'contrast_reaction',
  kidney: 'kidney',
};
