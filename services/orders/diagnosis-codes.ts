/** What a well-formed ICD-10-CM code is in the shipped table (data/icd10cm: every billable code of CMS FY2025). */
export type CodeCheck = { kind: 'billable' } | { kind: 'header'; children: string[] } | { kind: 'not_a_code'; category: string; codes: string[] } | { kind: 'unknown' };

/** The billable codes a center's orders are checked against (a port: the table's file is the adapter's). */
export interface DiagnosisCodes {
  /** `code` as normalizeIcd10 writes it ("M54.50"). */
  check(code: string): CodeCheck;
}

const dotted = (c: string) => (c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c);

/** A table over billable codes written without the dot; a code with billable codes under it is a header. */
export function codeTable(codes: readonly string[]): DiagnosisCodes {
  const sorted = [...new Set(codes.map((c) => c.trim().toUpperCase()).filter(Boolean))].sort();
  const billable = new Set(sorted);
  const firstAtOrAfter = (prefix: string) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    check(code) {
      const bare = code.replace('.', '').toUpperCase();
      if (billable.has(bare)) return { kind: 'billable' };
      const under = (prefix: string) => {
        const out: string[] = [];
        for (let j = firstAtOrAfter(prefix); j < sorted.length && sorted[j]!.startsWith(prefix) && out.length < 4; j++) out.push(dotted(sorted[j]!));
        return out;
      };
      const children = under(bare);
      if (children.length) return { kind: 'header', children };
      // Every billable code of a category the table holds is in it: "Z99.ZZZZ" is no code at all.
      const category = bare.slice(0, 3);
      const siblings = under(category);
      return siblings.length ? { kind: 'not_a_code', category, codes: siblings } : { kind: 'unknown' };
    },
  };
}

/** Why a code cannot go on an order, or null; an unknown but well-formed code is allowed (the office is warned). */
export function codeRefusal(codes: DiagnosisCodes | undefined, code: string): string | null {
  const r = codes?.check(code);
  const list = (xs: string[]) => `${xs.slice(0, 3).join(', ')}${xs.length > 3 ? ', …' : ''}`;
  if (r?.kind === 'header') return `${code} is a category, not a billable code: use a more specific one, e.g. ${list(r.children)}`;
  if (r?.kind === 'not_a_code') return `${code} is not an ICD-10-CM code; codes under ${r.category} are e.g. ${list(r.codes)}`;
  return null;
}
