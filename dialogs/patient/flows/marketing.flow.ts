import { fold } from '../../engine/interruptions';
import { step } from '../../engine/step';
import type { Kit, Steps } from '../kit';
import { yesNo } from '../kit';
import type { PatientCtx } from '../state';
import type { Language } from '../../../services/messaging/templates';
import { t } from '../patient.texts';

/** The marketing question's answer: yes, no ("no thanks", "not now"), or null when the message is about something else. */
export function optInAnswer(text: string, lang: Language): 'yes' | 'no' | null {
  const yn = yesNo(text, lang);
  if (yn === 'yes' || yn === 'no') return yn;
  const f = fold(text).trim();
  if (/^(no|nope|nah|not now|not interested|ahora no|no me interesa|no gracias|no thanks)\b/.test(f)) return 'no';
  // "sure, yearly reminders would be helpful", "sí, mándenme el recordatorio": a yes that goes on to say why.
  if (/^(yes|yeah|yep|sure|ok|okay|please|si|claro|dale|por favor|me interesa|i'?d like|i would like|sign me up|apuntame|inscribame)\b/.test(f) && !/\b(no|not|don'?t|dont|nunca)\b/.test(f)) return 'yes';
  return null;
}

/** The optional marketing opt-in, asked once after a request (domain.md §6): an explicit yes is recorded with its words. */
export function createMarketingFlow(kit: Kit) {
  const { site, deps } = kit;
  const steps: Steps<'marketing'> = {
    marketing: step<PatientCtx, 'yes' | 'no'>({
      prompt: ({ turn }) => [{ text: t('marketing_opt_in', turn.lang, { center: site.center.name }) }],
      help: ({ turn }) => t('marketing_help', turn.lang),
      freeText: true,
      read: ({ turn }) => optInAnswer(turn.text, turn.lang),
      next: async (ctx, yn) => {
        const { conv, turn } = ctx;
        delete conv.patient;
        const phoneHash = kit.phoneHashOf(ctx);
        if (yn !== 'yes' || !phoneHash) return [{ text: t('marketing_no', turn.lang) }];
        const question = t('marketing_opt_in', turn.lang, { center: site.center.name });
        await deps.consent.set(phoneHash, 'marketing', 'granted', turn.channel === 'sms' ? 'sms_reply' : 'chat_reply', `Q: ${question}\nA: ${turn.text.trim().slice(0, 100)}`, deps.now());
        return [{ text: t('marketing_yes', turn.lang) }];
      },
    }),
  };
  return { steps };
}
