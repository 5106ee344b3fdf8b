import type { Out } from '../../engine/step';
import type { Kit } from '../kit';
import type { PatientCtx, Verified } from '../state';
import { t } from '../patient.texts';
import { orderLine } from '../status.texts';

/** "Where is my order?" (domain.md §8): the identity check first; then each open order's state in plain words, nothing clinical. */
export function createStatusFlow(kit: Kit) {
  return {
    async identified({ conv, turn }: PatientCtx, v: Verified): Promise<Out[]> {
      delete conv.patient;
      const r = await kit.deps.orderStatus.describe({ phoneHash: v.phoneHash, birthDate: v.birthDate, familyName: v.name });
      if (!r.ok || r.value.length === 0) return [{ text: t('status_none', turn.lang) }];
      return [{ text: r.value.map((o) => orderLine(o, turn.lang, kit.site.center.timeZone)).join('\n') }];
    },
  };
}
