import { ambiguousAbbreviations, CONTRAST_ORDER, contrastPhrases, impliedBodyPart, MODALITIES, modalityWords, type Contrast, type Laterality, type Modality } from '../exams/modality.catalog';
import { BODY_PART_WORDS, fold, LATERAL, SIDE_OF_WORD } from './lexicon';
import { phrases } from './phrases';
import type { ExamMention } from './understanding.schema';

type Kind = 'modality' | 'part' | 'contrast' | 'side';
interface Hit {
  kind: Kind;
  start: number;
  end: number;
  value: string;
  /** A body-part word that carries its side ("LLE"). */
  side?: Laterality;
}
interface Part {
  bodyPart: string;
  side: Laterality | null;
  contrast: Contrast | null;
}
/** What one stretch of a message says about one study. */
interface Group {
  modality: Modality | null;
  parts: Part[];
  contrast: Contrast | null;
  /** Sides said where no body part was. */
  sides: Laterality[];
  /** The separator before this group ("and", ","), '' inside a clause. */
  joint: string;
}

const MAX_TEXT = 2_000;
const MAX_EXAMS = 10;

const MODALITY_OF = new Map(MODALITIES.flatMap((m) => modalityWords(m).map((w) => [w, m] as const)));
const MODALITY_RE = phrases([...MODALITY_OF.keys()], 'g');
const AMBIGUOUS_OF = ambiguousAbbreviations();
const AMBIGUOUS_RE = phrases([...AMBIGUOUS_OF.keys()], 'g');
const PART_OF = new Map(BODY_PART_WORDS.flatMap(([part, list]) => list.map((w) => [fold(w), part] as const)));
const PART_RE = phrases([...PART_OF.keys()], 'g');
const CONTRAST_RE = CONTRAST_ORDER.map((c) => [c, phrases(contrastPhrases(c), 'g')] as const);
const SIDE_RE = LATERAL.map(([side, re]) => [side, new RegExp(re.source, 'g')] as const);
// Agreement, not a side; masked before sides are read (the clause rule below takes care of a leading "right,").
const NOT_SIDE = /\b(that'?s right|all right|alright|is that right|derecho a)\b|\bright\s*\?/g;
/** Where one exam's words end and the next one's may start; read after every phrase is masked ("abdomen and pelvis"). */
const SEPARATOR = /[,;.!?\n&+]|\b(and|y|e|or|o|plus|also|too|as well as|along with|then|ademas|tambien)\b/g;
const CONJUNCTION = /^(and|y|e|or|o|&|\+)$/;
/** "not my knee", "en vez de la rodilla": the next exam word is not asked for. */
const NEGATED = /\b(no|not|never|instead of|rather than|ni|en vez de|en lugar de)( (an?|the|my|un|una|el|la|mi|mis|de|del))*\s*$/;
/** Between "US" and its body part: nothing, or "of the", "de la". */
const NEXT_TO = /^\s+((of|de)( (the|my|la|las|los|el|mi|mis))?\s+|del\s+)?$/;

/**
 * Every exam one message names, in the order named: "MRI of my lower back, my knee too" is two MRIs; "a mammogram
 * and a bone density scan" two studies with their implied body parts; "ct abd/pelvis w/wo" one CT with and without
 * contrast. A body part named without a modality takes the nearest modality named before it (else after it); with
 * none at all it stands alone with modality null. Pure: no I/O, the catalogue and the lexicon only.
 */
export function findExams(text: string): ExamMention[] {
  const original = text.slice(0, MAX_TEXT);
  const folded = fold(original);
  const { hits, work } = read(original, folded);
  const groups = merge(clauses(work, hits).flatMap(groupsOf));
  return emit(groups).slice(0, MAX_EXAMS);
}

/** The modality, body-part, contrast and side phrases, each masked once read so no word counts twice. */
function read(original: string, folded: string): { hits: Hit[]; work: string } {
  let work = folded;
  const hits: Hit[] = [];
  const take = (re: RegExp, kind: Kind, valueOf: (phrase: string, at: number) => string | null) => {
    const found: Hit[] = [];
    for (const m of work.matchAll(re)) {
      const value = valueOf(m[1]!, m.index);
      if (value === null || NEGATED.test(work.slice(0, m.index))) continue;
      found.push({ kind, start: m.index, end: m.index + m[1]!.length, value, ...(kind === 'part' && SIDE_OF_WORD[m[1]!] ? { side: SIDE_OF_WORD[m[1]!] } : {}) });
    }
    for (const h of found) work = work.slice(0, h.start) + ' '.repeat(h.end - h.start) + work.slice(h.end);
    hits.push(...found);
  };
  take(MODALITY_RE, 'modality', (w) => MODALITY_OF.get(w) ?? null);
  for (const [c, re] of CONTRAST_RE) take(re, 'contrast', () => c);
  take(PART_RE, 'part', (w) => PART_OF.get(w) ?? null);
  const parts = hits.filter((h) => h.kind === 'part');
  take(AMBIGUOUS_RE, 'modality', (w, at) => (ambiguousIsExam(original, folded, w, at, parts) ? (AMBIGUOUS_OF.get(w) ?? null) : null));
  work = work.replace(NOT_SIDE, (s) => ' '.repeat(s.length));
  for (const [side, re] of SIDE_RE) take(re, 'side', () => side);
  return { hits: hits.sort((a, b) => a.start - b.start), work };
}

/**
 * "US" is also "us": an exam only beside a body part ("US abdomen", "renal US"), and then only written in capitals
 * in a message that is not all capitals, or when the two are the whole message ("us abdomen").
 */
function ambiguousIsExam(original: string, folded: string, word: string, at: number, parts: Hit[]): boolean {
  const end = at + word.length;
  const part = parts.find((p) => p.start >= end && NEXT_TO.test(folded.slice(end, p.start))) ?? parts.find((p) => p.end <= at && /^\s+$/.test(folded.slice(p.end, at)));
  if (!part) return false;
  const capitals = new RegExp(`(?<![A-Za-z0-9])${word.toUpperCase()}(?![A-Za-z0-9])`).test(original) && /[a-z]/.test(original);
  const rest = folded.slice(0, Math.min(at, part.start)) + folded.slice(Math.max(end, part.end));
  return capitals || !/[a-z]/.test(rest);
}

/** The message cut at separators (commas, "and", "y"), each piece with its hits and the separator before it. */
function clauses(work: string, hits: Hit[]): Array<{ hits: Hit[]; joint: string }> {
  const cuts = [...work.matchAll(SEPARATOR)].map((m) => ({ at: m.index, end: m.index + m[0].length, joint: m[0] }));
  const out: Array<{ hits: Hit[]; joint: string }> = [];
  let from = 0;
  let joint = '';
  for (const cut of [...cuts, { at: work.length, end: work.length, joint: '' }]) {
    const inside = hits.filter((h) => h.start >= from && h.start < cut.at);
    if (inside.length) out.push({ hits: inside, joint });
    // Separators in a row ("knee, and") count as the last one.
    joint = cut.joint;
    from = cut.end;
  }
  return out;
}

const newGroup = (joint: string): Group => ({ modality: null, parts: [], contrast: null, sides: [], joint });

/** One clause's groups: a second modality in the same clause starts a new group ("mri brain ct chest"). */
function groupsOf(clause: { hits: Hit[]; joint: string }): Group[] {
  const groups: Group[] = [];
  let g = newGroup(clause.joint);
  const placed: Array<{ hit: Hit; part: Part }> = [];
  const sides: Hit[] = [];
  for (const h of clause.hits) {
    if (h.kind === 'modality') {
      if (g.modality) {
        groups.push(g);
        g = newGroup('');
      }
      g.modality = h.value as Modality;
    } else if (h.kind === 'part') {
      const part: Part = { bodyPart: h.value, side: h.side ?? null, contrast: null };
      g.parts.push(part);
      placed.push({ hit: h, part });
    } else if (h.kind === 'contrast') g.contrast ??= h.value as Contrast;
    else sides.push(h);
  }
  groups.push(g);
  // A side belongs to the body part after it ("left knee"), else the one before it ("rodilla derecha").
  for (const s of sides) {
    const target = placed.find((p) => p.hit.start >= s.end) ?? placed.filter((p) => p.hit.end <= s.start).at(-1);
    if (target) target.part.side = withSide(target.part.side, s.value as Laterality);
    else g.sides.push(s.value as Laterality);
  }
  return groups;
}

const withSide = (had: Laterality | null, said: Laterality): Laterality => (had && had !== said ? 'bilateral' : said);

function merge(groups: Group[]): Group[] {
  const named = (g: Group) => g.modality !== null || g.parts.length > 0;
  // A clause of contrast or a side only ("…, with contrast") finishes the exam before it.
  const out: Group[] = [];
  groups.forEach((g, i) => {
    if (named(g)) {
      out.push(g);
      return;
    }
    const before = out.at(-1);
    if (before) {
      before.contrast ??= g.contrast;
      const last = before.parts.at(-1);
      for (const side of g.sides) {
        if (last) last.side = withSide(last.side, side);
        else before.sides.push(side);
      }
      return;
    }
    const after = groups.slice(i + 1).find(named);
    if (!after) return;
    after.contrast ??= g.contrast;
    // "left and right knee": a leading side only counts when the next one differs ("right, an MRI of the knee" is agreement).
    const first = after.parts[0];
    for (const side of g.sides) if (first?.side && first.side !== side) first.side = 'bilateral';
  });
  // Body parts without a modality go with the nearest modality named before them, else after them.
  const merged: Group[] = [];
  out.forEach((g, i) => {
    if (g.modality || g.parts.length === 0) {
      merged.push(g);
      return;
    }
    const parts = g.parts.map((p) => ({ ...p, contrast: p.contrast ?? g.contrast }));
    // A study named for its body part (a mammogram) takes no other one from another clause.
    const fits = (x: Group) => x.modality !== null && parts.every((p) => (impliedBodyPart(x.modality!) ?? p.bodyPart).includes(p.bodyPart));
    const before = merged.filter((x) => x.modality).at(-1);
    const after = out.slice(i + 1).find((x) => x.modality);
    if (before && fits(before)) before.parts.push(...parts);
    else if (after && fits(after)) after.parts.unshift(...parts);
    else merged.push(g);
  });
  // "an MRI and a CT of the brain": a modality with no body part of its own takes the next one's.
  merged.forEach((g, i) => {
    const next = merged[i + 1];
    if (g.modality && g.parts.length === 0 && !impliedBodyPart(g.modality) && next?.modality && next.parts.length && CONJUNCTION.test(next.joint)) {
      g.parts = next.parts.map((p) => ({ ...p, contrast: null }));
    }
  });
  return merged;
}

function emit(groups: Group[]): ExamMention[] {
  const out = new Map<string, ExamMention>();
  const add = (e: ExamMention) => out.set(JSON.stringify(e), e);
  for (const g of groups) {
    // Contrast said once covers the group's body parts ("MRI brain and c-spine w/wo").
    const said = [...new Set(g.parts.map((p) => p.contrast).filter((c): c is Contrast => c !== null))];
    const contrast = g.contrast ?? (said.length === 1 ? said[0]! : null);
    if (g.parts.length === 0) {
      if (!g.modality) continue;
      const sides = [...new Set(g.sides)];
      add({ modality: g.modality, bodyPart: impliedBodyPart(g.modality), laterality: sides.length === 1 ? sides[0]! : null, contrast });
    } else {
      for (const p of g.parts) add({ modality: g.modality, bodyPart: p.bodyPart, laterality: p.side, contrast: p.contrast ?? contrast });
    }
  }
  return [...out.values()];
}
