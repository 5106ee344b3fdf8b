import type { CaseChannel } from '../../services/cases/case.schema';
import type { Insurance } from '../../services/orders/order.schema';
import type { Language } from '../../services/messaging/templates';
import type { Answer } from '../../services/screening/screening';
import type { DisclosureKind } from '../../services/screening/disclosures';
import type { TimeWish } from '../../services/scheduling/time-wish';
import type { Understanding } from '../../services/understanding/understanding.schema';

/** Every step of every patient flow; each is one entry of its flow's step table. */
export type StepId =
  | 'exam'
  | 'has_order'
  | 'name'
  | 'dob'
  | 'phone'
  | 'reason'
  | 'provider'
  | 'timing'
  | 'coverage'
  | 'screening'
  | 'pick_slot'
  | 'verify_phone'
  | 'verify_dob'
  | 'verify_name'
  | 'cancel_reason'
  | 'cancel_or_rebook'
  | 'withdraw_confirm'
  | 'marketing';

/** handoff: after a handoff from chat, who the person is (optional), so staff see their exam with the task. */
/** Why a conversation went to a person. */
export type HandoffWhy = 'agent' | 'clinical' | 'too_many_tries';

export type Flow = 'request' | 'manage' | 'status' | 'handoff';
export type ManageAction = 'confirm' | 'reschedule' | 'cancel' | 'waitlist';

/** One exam the patient asked for. */
export interface WantedExam {
  modality: Understanding['fields']['modality'];
  bodyPart: string | null;
  laterality: Understanding['fields']['laterality'];
  contrast: Understanding['fields']['contrast'];
}

/** What the patient has told us in this flow; stored as conversation state (JSON), so dates stay strings. */
export interface Answers extends WantedExam {
  hasOrder: boolean | null;
  /** The exam question was answered (possibly "not sure"). */
  examAsked?: boolean;
  /** More exams named in the same request ("MRI of my lower back, my knee too"): each becomes its own request. */
  moreExams?: WantedExam[];
  givenName?: string;
  familyName?: string;
  birthDate?: string;
  phone?: string;
  reason?: string;
  provider?: string | null;
  providerPhone?: string | null;
  timing?: string;
  /** "asap", "as soon as possible", "urgente": the request says the patient asked for it soon. */
  asap?: boolean;
  preferredDates: string[];
  coverage?: Insurance;
  /** A payer named without its member id, when the id was asked for. */
  payerSaid?: string;
}

export interface PatientDialogState {
  flow: Flow;
  /** When the last message of this flow was handled (ISO): a flow left alone for a day is over. */
  at?: string;
  step: StepId;
  /** Wrong answers in a row at this step: three hand the conversation to a person. */
  fails: number;
  requestKey: string;
  manage?: ManageAction;
  answers: Answers;
  caseId?: string;
  /** "I have an order": looked for it already (found or not). */
  lookedUp?: boolean;
  /** This number has an order we could book (or, on chat, the patient asked to book): identity and lookup come first. */
  probe?: boolean;
  /** The message that started the flow (bounded), for what it implies beyond its fields. */
  opening?: string;
  /** A first name said alone at the name question, waiting for the last name. */
  givenOnly?: string;
  /** Identity checks that did not match. */
  verifyTries?: number;
  /** Safety questions being asked: of `caseId`, or of every case a request just made (`caseIds`, one set of answers). */
  screening?: { index: number; answers: Record<string, Answer>; words?: Record<string, string>; caseIds?: string[] };
  offered?: Array<{ scannerId: string; start: string }>;
  /** A date of birth that reads two ways (day and month), waiting for the patient to say which. */
  dobChoices?: string[];
  /** What the patient said about when they can come ("after 5", "not tuesday"): the times offered fit it. */
  wish?: TimeWish;
  cancelReason?: string;
  /** Why a handoff was asked for, to name it again when its case is attached. */
  handoffWhy?: HandoffWhy;
}

/** Who this conversation proved to be (phone, date of birth and name): kept after a flow ends, for C/R/X later. */
export interface Verified {
  patientIds: string[];
  phoneHash: string;
  birthDate: string;
  name: string;
  /** When (ISO): a shared phone is not verified for long. */
  at: string;
}

/** A safety fact said in this conversation (JSON state: the time as ISO), kept until it is on a case. */
export interface SaidDisclosure {
  kind: DisclosureKind;
  words: string;
  at: string;
  said: string;
}

export interface PatientConversation {
  patient?: PatientDialogState;
  verified?: Verified;
  /** Every safety fact said in this conversation, whichever flow (or none) was running: put on each case it reaches. */
  disclosures?: SaidDisclosure[];
  /** The case and exam the last flow was about, so a question after it ends ("can I wear deodorant?") knows the exam. */
  last?: { caseId?: string; modality?: Answers['modality']; bodyPart?: Answers['bodyPart']; contrast?: Answers['contrast'] };
}

export interface PatientTurn {
  text: string;
  channel: CaseChannel;
  lang: Language;
  /** SMS: the number that texted (and its keyed hash); chat: null until the patient gives one. */
  phone: string | null;
  phoneHash: string | null;
  /** `intentBy`: whether a rule, the trained model or the LLM settled the intent (absent in tests that build a turn). */
  understanding: Understanding & { intentBy?: 'rules' | 'model' | 'openai' };
  /** Opens a human handoff task for this conversation, saying why (and for which case, when there is one). */
  handoff: (why: string, caseId?: string | null) => Promise<void>;
}

/** What every step sees: the conversation, the running flow's state and this message. */
export interface PatientCtx {
  conv: PatientConversation;
  s: PatientDialogState;
  turn: PatientTurn;
}
