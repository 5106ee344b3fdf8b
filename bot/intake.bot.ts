import { TeamsActivityHandler, TurnContext, type ConversationState, type UserState } from 'botbuilder';
import { OutboundContent, pickChoice, type Choice, type OutboundContentInput } from '../services/conversations/outbound-content';
import type { TeamsIdentityService } from '../services/referrers/teams-identity.service';
import type { HandoffService } from '../services/conversations/handoff.service';
import type { UnderstandingService } from '../services/understanding/understanding.service';
import { newManageState, newRequestState, newStatusState, type PatientConversation, type PatientDialog } from '../dialogs/patient/patient.dialog';
import type { Intent, Understanding } from '../services/understanding/understanding.schema';
import type { CaseChannel } from '../services/cases/case.schema';
import type { Waitlist } from '../services/waitlist/waitlist.service';
import type { AppointmentMessages } from '../services/appointments/appointment-messages';
import type { OfficeConversation, OfficeConversationHandler } from '../dialogs/referrer/office.conversation';
import type { Principal } from '../services/staff/staff.roles';
import type { ReferrerInvites } from '../services/referrers/invite.service';
import { yesNoUnsure } from '../services/understanding/rules.engine';
import { conversationRefId } from './channels/turn-runner';
import { phoneHashOfSmsConversation, smsPhoneOf } from './sms/sms.adapter';
import { phoneText } from '../services/messaging/templates';
import { foldAccents, withoutEmoji } from '../services/text';
import { renderContent } from './render/channel-render';
import { MASK_INBOUND } from './channels/transcript';
import type { SiteConfig } from '../services/config/site.schema';
import { detectLanguage } from '../services/messaging/language';
import type { Language } from '../services/messaging/templates';
import { openingHoursText } from '../dialogs/patient/side-questions';
import { intakeText } from '../dialogs/intake.texts';
import { appointmentLetter, askedLanguage, isCourtesy } from '../dialogs/engine/interruptions';
import { waitlistReply } from '../dialogs/patient/waitlist.texts';
import { createGreeter, JOIN_EVENT, OFFICE_SESSION_ENDED_EVENT, OFFICE_SESSION_EVENT } from './greeting';
import { DateTime } from 'luxon';
import { sessionId, type OfficeSessions } from '../services/referrers/office-session';

interface ConversationData extends PatientConversation, OfficeConversation {
  menuShown?: boolean;
  /** The conversation has had a turn past the intake router (its first message gets the greeting). */
  started?: boolean;
  /** Web chat: the office user this conversation signed in as with a one-time code (`awaiting` while asking for it). */
  officeSignIn?: { principal: Principal; orgName: string; sessionId?: string } | 'awaiting';
}

const EXAM_OR_NOTHING: ReadonlySet<Intent> = new Set(['request_exam', 'prep_question', 'greeting', 'help', 'other']);


/**
 * What this message asks for: C, R and X (as reminders ask) and BOOK (as our texts ask once an order is ready) are
 * the appointment intents; an exam named with a wish for it is a request; else what the understanding says.
 */
function intentOf(text: string, u: Understanding): Intent {
  const letter = appointmentLetter(text);
  if (letter) return letter;
  // Only where nothing else was asked for: "need to cancel my mri, ill call to reschedule" is not a new request.
  if (EXAM_OR_NOTHING.has(u.intent) && wantsExam(u, text)) return 'request_exam';
  return u.intent;
}

/** BOOK on its own: the patient has an order with us (our texts ask for it once one is ready). */
function isBookWord(text: string): boolean {
  return /^(book|schedule|agendar|reservar)$/i.test(foldAccents(text.trim()));
}

/** Steps whose answers are free sentences, where the LLM (when configured) may help. */
const FREE_TEXT_STEPS: ReadonlySet<string> = new Set(['exam', 'has_order', 'timing', 'pick_slot', 'cancel_or_rebook', 'marketing']);

/** The message asks to do something (book, move, cancel, confirm, check on an order) besides any question in it. */
function wantsAction(u: { intent: string; fields: { modality: string | null } }, text: string): boolean {
  if (['reschedule', 'cancel_appointment', 'confirm_appointment', 'order_status', 'waitlist'].includes(u.intent)) return true;
  return wantsExam(u, text);
}

/** "I need an MRI, how much is it?": an exam named with a wish for it, whatever else the message asks. */
function wantsExam(u: { intent: string; fields: { modality: string | null } }, text: string): boolean {
  return (u.intent === 'request_exam' || u.fields.modality !== null) && /\b(i need|i want|need an?|want an?|book|schedule|wants? me to (get|have|do)|can i get|how (fast|soon) can i|(doc|doctor|dr) (said|says|wants|ordered)|necesito|quiero|agendar|reservar|ocupo|me (mando|mandaron|ordeno|pidio) (a )?hacer|quiere que me (haga|hagan)|(i )?(have|got) (an?|the|my) (order|referral|paper)|tengo (una |la )?orden|(want|wants|said|says) (an?|to get an?) |(le|me|nos) (mando|mandaron|ordeno|ordenaron|pidio|pidieron)|(dar|darme|darle|hacer|sacar) (una )?cita|cita para|set (that|it|this|one) up|fit (me|her|him|us) in)\b/.test(foldAccents(text));
}

/** An id from an activity, if it is one: a short string of id characters (Azure AD tenants and objects are GUIDs). */
function scalarId(v: unknown): string | null {
  return typeof v === 'string' && /^[\w.:@-]{1,100}$/.test(v) ? v : null;
}

function choiceByKeyword(text: string): 0 | 1 | 2 | null {
  const t = foldAccents(text.trim());
  if (/^(one|uno|patient|paciente)\b/.test(t)) return 0;
  if (/^(two|dos|office|doctor|oficina|consultorio)\b/.test(t)) return 1;
  if (/^(three|tres|person|human|agent|persona|agente)\b/.test(t) || /\b(talk to (a )?(person|human)|hablar con (una )?persona)\b/.test(t)) return 2;
  return null;
}

const menuOf = (lang: Language): Choice[] => [
  { value: 'patient', title: intakeText('menu_patient', lang) },
  { value: 'office', title: intakeText('menu_office', lang) },
  { value: 'human', title: intakeText('menu_human', lang) },
];
const MENU: Record<Language, Choice[]> = { en: menuOf('en'), es: menuOf('es') };

export interface IntakeBotDeps {
  conversationState: ConversationState;
  userState: UserState;
  site: SiteConfig;
  teams: TeamsIdentityService;
  handoff: HandoffService;
  understanding: UnderstandingService;
  patientDialog: PatientDialog;
  office: OfficeConversationHandler;
  invites: Pick<ReferrerInvites, 'redeem'>;
  officeSessions: Pick<OfficeSessions, 'start' | 'resume' | 'end'>;
  appointmentMessages: Pick<AppointmentMessages, 'answerReadiness'>;
  waitlist: Pick<Waitlist, 'answer'>;
  hashPhone: (e164: string) => string;
  now: () => Date;
}

/**
 * The first conversation (before the patient and referrer dialogs): a greeting and a menu in English or Spanish, and
 * honest answers for each choice. Same bot for SMS, Web Chat and Teams; each prompt is rendered for its channel.
 * On Teams the @mention of the bot is dropped before reading, and the Azure AD tenant decides who is asking.
 */
export class IntakeBot extends TeamsActivityHandler {
  constructor(private readonly deps: IntakeBotDeps) {
    super();
    const { site } = deps;
    const conversation = deps.conversationState.createProperty<ConversationData>('intake');
    const profile = deps.userState.createProperty<{ language?: Language }>('profile');
    const phone = phoneText(site.center.phone);
    const dayText = (at: Date, lang: Language) => DateTime.fromJSDate(at, { zone: site.center.timeZone }).setLocale(lang === 'es' ? 'es' : 'en-US').toFormat(lang === 'es' ? "d 'de' LLLL" : 'LLLL d');

    this.onMessage(async (context: TurnContext, next) => {
      const channel = context.activity.channelId;
      if (channel === 'msteams') TurnContext.removeRecipientMention(context.activity);
      const state = await conversation.get(context, {});
      const person = await profile.get(context, {});
      // Emoji carry no answer ("la 1 😊"), except a thumbs-up alone, which is an ok.
      const typed = (context.activity.text ?? '').trim();
      const text = withoutEmoji(typed) || (/👍|👌|✅/u.test(typed) ? 'ok' : typed);
      const asked = askedLanguage(text);
      if (asked) person.language = asked;
      const lang: Language = person.language ?? detectLanguage(text, context.activity.locale?.startsWith('es') ? 'es' : 'en');
      person.language = lang;
      const es = lang === 'es';
      const hours = openingHoursText(site, lang);
      /** What the intake texts fill in: the center, its phone and its hours in this language. */
      const words = { center: site.center.name, phone, hours };
      const say = (content: OutboundContentInput) => context.sendActivity(renderContent(channel, OutboundContent.parse(content), lang));

      let greetingName = '';
      /** A Teams user of a referring organization: acts as `referrer:<user id>`, scoped to that organization. */
      let officeUser: Principal | null = null;
      if (channel === 'msteams') {
        // Values from outside reach a query only as validated scalars: an object such as {"$gt":""} or a 5,000-character
        // string is no tenant at all.
        const rawTenant: unknown = context.activity.conversation.tenantId ?? (context.activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
        const who = await deps.teams.identify({
          tenantId: scalarId(rawTenant),
          aadObjectId: scalarId(context.activity.from.aadObjectId),
          name: typeof context.activity.from.name === 'string' ? context.activity.from.name.slice(0, 100) : null,
        });
        if (who.kind === 'pending') {
          await say({ text: intakeText('teams_pending', lang, { ...words, name: who.name, org: who.org.name }) });
          return next();
        }
        if (who.kind !== 'member') {
          await say({ text: intakeText('teams_unknown_org', lang, words) });
          return next();
        }
        greetingName = who.org.name;
        officeUser = { id: who.userId ?? `org-${who.org.id}`, name: context.activity.from.name ?? 'Teams user', role: 'referrer', referrerOrgId: who.org.id };
      }

      const chatRef = conversationRefId(channel, context.activity.conversation.id);
      /** The key of this conversation's handoffs: the SMS conversation, or the chat's stored reference. */
      const conversationKey = channel === 'sms' ? context.activity.conversation.id : chatRef;
      const requestHandoff = async (why?: string, caseId?: string | null) => {
        const a = context.activity;
        await deps.handoff.request({
          conversationKey,
          channel,
          ...(why ? { why } : {}),
          // Staff see the number's one open case with the task; nothing about it is said to the person.
          caseId: caseId ?? (officeUser ? null : await deps.patientDialog.caseForHandoff(patientTurn())),
          replyTo: channel === 'sms' ? { kind: 'sms', inboundMessageKey: `in:${a.id}` } : { kind: 'chat', conversationRefId: chatRef },
        });
      };

      // Identity checks and structured answers are read by the rules alone: no names or birth dates go to the LLM.
      // A sign-in code is a secret: not sent to the LLM, not kept in the transcript.
      const signingIn = state.officeSignIn === 'awaiting' && channel !== 'msteams' && channel !== 'sms';
      if (signingIn) context.turnState.set(MASK_INBOUND, true);
      const freeText = !signingIn && (!state.patient || FREE_TEXT_STEPS.has(state.patient.step)) && (!state.office?.form || state.office.form.step === 'exam');
      const understanding = await deps.understanding.understand(text, { now: deps.now(), timeZone: site.center.timeZone, language: lang, payers: site.payers }, { llm: freeText });
      const patientTurn = () => {
        const phoneNumber = smsPhoneOf(context);
        return {
          text,
          channel: (['sms', 'webchat', 'msteams'].includes(channel) ? channel : 'webchat') as CaseChannel,
          lang,
          phone: phoneNumber,
          phoneHash: phoneNumber ? deps.hashPhone(phoneNumber) : null,
          understanding,
          handoff: requestHandoff,
        };
      };
      const sayAll = async (contents: OutboundContentInput[]) => {
        for (const c of contents) await say(c);
      };
      // Web chat: an office user signs in with the one-time code staff gave them.
      if (channel !== 'msteams' && channel !== 'sms') {
        if (state.officeSignIn === 'awaiting') {
          if (/^(cancel|menu|back|salir)$/i.test(text)) {
            delete state.officeSignIn;
            await say({ text: intakeText('office_code_cancelled', lang) });
            return next();
          }
          const signedIn = await deps.invites.redeem(text);
          if (!signedIn) {
            await say({ text: intakeText('office_code_failed', lang, words) });
            return next();
          }
          // The sign-in stays on this device (the page keeps the token the event carries) for the site's days.
          const session = await deps.officeSessions.start(signedIn.principal);
          state.officeSignIn = { principal: signedIn.principal, orgName: signedIn.org.name, ...(session ? { sessionId: sessionId(session.token) } : {}) };
          if (session) await context.sendActivity({ type: 'event', name: OFFICE_SESSION_EVENT, value: { token: session.token, expiresAt: session.expiresAt.toISOString() } });
          const stays = session ? intakeText('office_stays_signed_in', lang, { until: dayText(session.expiresAt, lang) }) : '';
          await sayAll([{ text: `${intakeText('office_signed_in', lang, { org: signedIn.org.name, name: signedIn.principal.name })}${stays}` }, ...((await deps.office.handle(state, { text: '', channel: 'webchat', principal: signedIn.principal, understanding, now: deps.now(), handoff: requestHandoff, lang }, true)) ?? [])]);
          return next();
        }
        if (state.officeSignIn && /^(sign ?out|log ?out|cerrar (la )?sesi[oó]n|salir de la sesi[oó]n)[.!]*$/i.test(text)) {
          if (state.officeSignIn.sessionId) await deps.officeSessions.end(state.officeSignIn.sessionId);
          delete state.officeSignIn;
          delete state.office;
          await context.sendActivity({ type: 'event', name: OFFICE_SESSION_ENDED_EVENT });
          await say({ text: intakeText('office_signed_out', lang, words) });
          return next();
        }
        if (state.officeSignIn) officeUser = state.officeSignIn.principal;
      }
      // A picture-only MMS: kept with the message; the patient is told pictures cannot be read here, and how to send documents.
      const mediaCount = (context.activity.channelData as { mediaCount?: unknown } | undefined)?.mediaCount;
      if (channel === 'sms' && text === '' && typeof mediaCount === 'number' && mediaCount > 0) {
        await say({ text: intakeText('picture', lang, words) });
        return next();
      }
      // A safety fact said anywhere (in a flow, in a question, at the menu, to staff) is kept and put on the case.
      if (!officeUser) await deps.patientDialog.note(state, patientTurn());
      // Staff are talking with this person (they replied to the handoff): the message is theirs and the bot stays
      // silent, until staff close the task or nobody wrote for a while; then the person is told the bot is back.
      const live = await deps.handoff.route(conversationKey, site.handoff.idleMinutes * 60_000);
      if (live?.state === 'live') return next();
      if (live?.state === 'back') {
        await say({ text: intakeText('bot_is_back', lang) });
      }
      // An office (Teams, or signed-in web chat): orders, missing items, order requests and status.
      const files = (context.activity.attachments ?? []).map((a) => {
        const info = a.content as { downloadUrl?: unknown } | undefined;
        const url = typeof info?.downloadUrl === 'string' ? info.downloadUrl : a.contentUrl;
        return { contentType: a.contentType, ...(a.name ? { name: a.name } : {}), ...(url ? { url } : {}) };
      });
      const inChannel = context.activity.conversation?.conversationType === 'channel' || context.activity.conversation?.isGroup === true;
      const officeTurn = officeUser ? { text, value: context.activity.value as unknown, attachments: files, channel: (channel === 'msteams' ? 'msteams' : 'webchat') as CaseChannel, principal: officeUser, understanding, now: deps.now(), handoff: requestHandoff, inChannel, lang } : null;
      if (officeTurn && !state.patient) {
        const replies = await deps.office.handle(state, officeTurn, false);
        if (replies) {
          await sayAll(replies);
          return next();
        }
      }
      // A patient flow in progress gets every message (it understands help, start over and a person itself).
      // One that is over (idle a day, or a question left unanswered) hands the message on to the menu.
      if (state.patient) {
        const replies = await deps.patientDialog.handle(state, patientTurn());
        if (replies) {
          await sayAll(replies);
          return next();
        }
      }
      if (!officeUser) {
        const turn = patientTurn();
        const clinical = await deps.patientDialog.clinical(state, turn);
        if (clinical) {
          await sayAll(clinical);
          return next();
        }
        // A side question is answered; when the message also asks to do something ("I need an MRI, how much is
        // it?"), that goes on below.
        const more = wantsAction(understanding, text);
        // Asking for a person comes before any FAQ the same message touches.
        const side = understanding.intent === 'talk_to_human' ? null : await deps.patientDialog.sideQuestion(state, turn, more);
        if (side) {
          await sayAll(side);
          // "r u open saturday? and where do i park": answered; a move the model alone guessed is not started.
          if (!more || (understanding.intentBy === 'model' && !wantsExam(understanding, text))) return next();
        }
      }

      const yn = channel === 'sms' ? yesNoUnsure(text) : null;
      const smsHash = channel === 'sms' ? phoneHashOfSmsConversation(context.activity.conversation.id) : null;
      // YES / NO to an earlier time we are holding for them from the waitlist.
      const offerAnswer = (which: 'open' | 'late') => (smsHash && (yn === 'yes' || yn === 'no') ? deps.waitlist.answer(smsHash, yn === 'yes', which) : null);
      const offerReply = await offerAnswer('open');
      if (offerReply) {
        await say({ text: waitlistReply(offerReply, site) });
        return next();
      }
      // YES / NO / NOT SURE to the day-before readiness check (no or unsure goes to staff).
      const readiness = yn && smsHash ? await deps.appointmentMessages.answerReadiness(smsHash, yn) : null;
      if (readiness) {
        await say({ text: intakeText(readiness.answer === 'yes' ? 'ready_yes' : 'ready_no', readiness.language === 'es' ? 'es' : 'en', words) });
        return next();
      }
      // A YES after the hold ended (and no readiness question waiting): told kindly the time is gone.
      const lateReply = await offerAnswer('late');
      if (lateReply) {
        await say({ text: waitlistReply(lateReply, site) });
        return next();
      }

      const menu = MENU[lang];
      const showMenu = async () => {
        await say({ text: greetingName ? intakeText('hello_org', lang, { ...words, org: greetingName }) : intakeText('hello', lang, words), choices: menu, smsFooter: intakeText('menu_footer', lang) });
        state.menuShown = true;
      };
      const human = async () => {
        await requestHandoff();
        await say({ text: intakeText('human', lang, words) });
        if (!officeUser && !state.office && !state.officeSignIn) await sayAll(await deps.patientDialog.afterHandoff(state, patientTurn()));
      };
      const manage = (action: 'confirm' | 'reschedule' | 'cancel' | 'waitlist') => async () => sayAll(await deps.patientDialog.begin(state, newManageState(action), patientTurn()));
      const request = async (hasOrder?: true) => sayAll(await deps.patientDialog.begin(state, newRequestState({ ...understanding.fields, ...(hasOrder ? { hasOrder } : {}) }, text), patientTurn()));
      /** The menu's choices by number, title or word; anything else gets the greeting and the menu. */
      const menuOrChoice = async () => {
        const choice = state.menuShown ? (pickChoice(text, menu) ?? pickChoice(text, MENU[es ? 'en' : 'es']) ?? choiceByKeyword(text)) : null;
        if (choice === 0) return request();
        if (choice === 2) return human();
        if (choice !== 1) return showMenu();
        if (officeTurn) return sayAll((await deps.office.handle(state, officeTurn, true)) ?? []);
        if (channel !== 'sms') {
          state.officeSignIn = 'awaiting';
          return say({ text: intakeText('office_code', lang, words) });
        }
        return say({ text: intakeText('office_sms', lang, words) });
      };
      // Every intent has its route: a new intent does not compile until it is routed here.
      const routes: Record<Intent, () => Promise<unknown>> = {
        request_exam: () => request(),
        reschedule: manage('reschedule'),
        cancel_appointment: manage('cancel'),
        confirm_appointment: manage('confirm'),
        waitlist: manage('waitlist'),
        order_status: async () => sayAll(await deps.patientDialog.begin(state, newStatusState(text), patientTurn())),
        // A prep question the FAQ did not answer above: the prep for the exam named, or how to ask.
        prep_question: async () => sayAll((await deps.patientDialog.sideQuestion(state, patientTurn(), false)) ?? []),
        talk_to_human: human,
        help: async () => {
          await say({ text: intakeText('help', lang, words) });
          return showMenu();
        },
        // On SMS the keyword layer acts on STOP and START before the bot; elsewhere, how to do it.
        opt_out: () => say({ text: intakeText('opt_out_chat', lang, words) }),
        opt_in: () => say({ text: intakeText('opt_in_chat', lang, words) }),
        greeting: menuOrChoice,
        // A question nothing here answers ("can my husband come in with me?") is told who can; anything else, the menu.
        other: async () => {
          // The first message of a conversation ("is this bluebonnet?") gets the greeting and the menu; a real question
          // first ("can i bring my kids with me when i come in?") is told who can answer it.
          const opening = !state.started && text.split(/\s+/).length < 5;
          const unanswered = opening || (state.menuShown && pickChoice(text, menu) !== null) ? null : deps.patientDialog.unanswered(patientTurn());
          return unanswered ? sayAll(unanswered) : menuOrChoice();
        },
      };
      // Thanks or goodbye once something was done: a kind word back, not the menu.
      if (!officeUser && state.started && isCourtesy(text)) {
        await say({ text: intakeText('welcome', lang) });
        return next();
      }
      // A menu choice as written (its number or its title) is the menu's, whatever a classifier makes of the words.
      const route = isBookWord(text) ? () => request(true) : state.menuShown && pickChoice(text, menu) !== null ? menuOrChoice : routes[intentOf(text, understanding)];
      await route();
      state.started = true;
      await next();
    });

    // Teams: welcome once when the bot is installed (personal, group chat or team).
    this.onInstallationUpdateAdd(async (context, next) => {
      await context.sendActivity(
        renderContent(
          context.activity.channelId,
          OutboundContent.parse({
            text: intakeText('teams_welcome', 'en', { center: site.center.name, phone, hours: openingHoursText(site, 'en') }),
          }),
        ),
      );
      await next();
    });

    // Web Chat: the greeting and the menu when the chat opens (the page's join event), once per conversation.
    const greet = createGreeter({ conversationState: deps.conversationState, intake: conversation, site, menu: MENU, now: deps.now });
    this.onEvent(async (context, next) => {
      await resumeOffice(context);
      await greet(context);
      await next();
    });

    /** A chat page that kept an office sign-in on the device: the office user is signed in again, or the page forgets it. */
    const resumeOffice = async (context: TurnContext): Promise<void> => {
      const a = context.activity;
      const token = a.type === 'event' && a.name === JOIN_EVENT ? (a.value as { officeSession?: unknown } | undefined)?.officeSession : undefined;
      if (typeof token !== 'string' || context.activity.channelId === 'msteams' || context.activity.channelId === 'sms') return;
      const state = await conversation.get(context, {});
      if (state.officeSignIn) return;
      const resumed = await deps.officeSessions.resume(token);
      if (!resumed) {
        await context.sendActivity({ type: 'event', name: OFFICE_SESSION_ENDED_EVENT });
        return;
      }
      const locale = (a.value as { locale?: unknown }).locale;
      const lang: Language = typeof locale === 'string' && locale.toLowerCase().startsWith('es') ? 'es' : 'en';
      state.officeSignIn = { principal: resumed.principal, orgName: resumed.org.name, sessionId: resumed.sessionId };
      const understanding = await deps.understanding.understand('', { now: deps.now(), timeZone: site.center.timeZone, language: lang, payers: site.payers }, { llm: false });
      const handoff = async (why?: string) => {
        const ref = conversationRefId(a.channelId, a.conversation.id);
        await deps.handoff.request({ conversationKey: ref, channel: 'webchat', ...(why ? { why } : {}), caseId: null, replyTo: { kind: 'chat', conversationRefId: ref } });
      };
      const menu = (await deps.office.handle(state, { text: '', channel: 'webchat', principal: resumed.principal, understanding, now: deps.now(), handoff, lang }, true)) ?? [];
      const welcome = intakeText('office_welcome_back', lang, { org: resumed.org.name, name: resumed.principal.name, until: dayText(resumed.expiresAt, lang) });
      for (const c of [{ text: welcome }, ...menu]) await context.sendActivity(renderContent(a.channelId, OutboundContent.parse(c), lang));
    };
  }
}
