/**
 * The message as the LLM may see it: a name given after a name cue and any date with a year (a birth date) are
 * replaced by placeholders. The name and birth-date steps never reach the LLM at all; this covers the opening message
 * and free text ("hi this is Maria Lopez dob 3/4/1980, need an mri").
 */
const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre';
const DATE_WITH_YEAR = new RegExp(
  [
    String.raw`\b\d{1,4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}\b`,
    String.raw`\b(?:${MONTHS})\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:of\s+)?\d{4}\b`,
    String.raw`\b\d{1,2}(?:st|nd|rd|th)?\s+(?:de\s+|of\s+)?(?:${MONTHS})\.?,?\s+(?:de(?:l)?\s+)?\d{4}\b`,
    String.raw`\b(?:dob|d\.o\.b\.?|born|birthday|birth ?date|date of birth|fecha de nacimiento|naci(?:o|ó|mos)?(?: el)?)[:\s]+\S+(?:\s+\S+){0,3}?\s*\d{2,4}\b`,
  ].join('|'),
  'gi',
);
const NAME_WORD = String.raw`[\p{Lu}][\p{L}'’-]+|[\p{Ll}][\p{L}'’-]+`;
const NAME_CUE = new RegExp(
  String.raw`\b(my name is|my name's|name is|name:|the patient is|patient name|patient:|me llamo|mi nombre es|se llama|nombre:|this is|soy|i am|i'm|im)\s+((?:${NAME_WORD})(?:\s+(?:${NAME_WORD})){0,3})`,
  'giu',
);
// After "this is", "soy", "i am": only a capitalised name is taken as one ("i'm pregnant", "soy diabética" are not).
const LOOSE_CUE = /^(this is|soy|i am|i'm|im)$/i;

// Words that end a name ("my name is ana and i need…").
const NOT_NAME = new Set('and y i im need needs want wants necesito quiero my mi for para dob born nacio naci with con from de la el the a an at en on calling writing texting i\'m is es'.split(' '));

export function redactForLlm(text: string): string {
  const dated = text.replace(DATE_WITH_YEAR, '[date]');
  return dated.replace(NAME_CUE, (whole, cue: string, name: string) => {
    const words = name.split(/\s+/);
    const loose = LOOSE_CUE.test(cue);
    let taken = 0;
    while (taken < words.length && taken < 3) {
      const w = words[taken] ?? '';
      if (NOT_NAME.has(w.toLowerCase()) || (loose && !/^\p{Lu}/u.test(w))) break;
      taken++;
    }
    if (taken === 0) return whole;
    return `${cue} [name]${words.length > taken ? ` ${words.slice(taken).join(' ')}` : ''}`;
  });
}
