// A fill a person asked for (popup "Fill", context menu, keyboard command). The background asks
// every frame of the tab; each frame with a form claims; the frame the person meant — the focused
// one for the key, the clicked one for the menu, else the top frame, else a frame whose own origin
// has an entry — gets exactly one fill, and the others get nothing.
import type { ClaimAnswer, ContentCommand, FillOutcome, FormReport } from '../messages/autofill-protocol';
import type { EntrySummary } from '../model/entry';
import { actionVerdict, isFillKind, TRIGGER_TIMEOUT_MS, type FrameInfo } from './policy';
import { CERT_REFUSAL } from './certificates';
import { AppError } from '../errors';
import { t } from '../i18n';
import { refusalText } from './refusal-text';

export type TriggerSource = 'popup' | 'menu' | 'command';

/** After the first claim, other frames get this long to claim too. */
const CLAIM_WINDOW_MS = 200;

interface Claim {
  frame: FrameInfo;
  form: FormReport;
  answer: (a: ClaimAnswer) => void;
}

interface Intent {
  id: string;
  tabId: number;
  frameId?: number;
  entryId?: string;
  source: TriggerSource;
  accepted?: string;
  claims: Claim[];
  chosen?: FrameInfo;
  done: boolean;
  timer?: ReturnType<typeof setTimeout>;
  finish: (o: FillOutcome) => void;
}

export interface IntentDeps {
  /** The entry a frame would get (its own origin; the named entry, else the remembered, else the best), or why none. */
  entryFor(entryId: string | undefined, frame: FrameInfo, form: FormReport): Promise<{ entry?: EntrySummary; why?: FillOutcome }>;
  certificateOk(origin: string): Promise<boolean>;
  /** The one fill for that frame (fetches the password), or null. */
  orderFor(entryId: string, frame: FrameInfo, form: FormReport): Promise<ClaimAnswer>;
  /** Sends a command to the tab's frames (one frame when frameId is set); resolves with the first answer, or undefined when no frame answered. */
  send(tabId: number, command: ContentCommand, frameId?: number): Promise<unknown>;
  newId(): string;
}

export function createIntents(deps: IntentDeps) {
  const intents = new Map<string, Intent>();

  function preferred(intent: Intent, c: Claim): boolean {
    if (intent.source === 'menu') return true;
    if (intent.source === 'command') return c.form.focused;
    return c.frame.frameId === 0;
  }

  const rank = (intent: Intent, c: Claim) =>
    (isFillKind(c.form.kind) ? 0 : 1000) + (intent.source === 'command' && !c.form.focused ? 100 : 0) + c.frame.frameId;

  async function consider(intent: Intent, c: Claim): Promise<void> {
    const fits = preferred(intent, c) && (await deps.entryFor(intent.entryId, c.frame, c.form).catch(() => ({}) as { entry?: EntrySummary })).entry;
    if (fits) return decide(intent);
    // Give the other frames a moment to answer.
    if (intent.claims.length === 1 && !intent.done) {
      clearTimeout(intent.timer);
      intent.timer = setTimeout(() => void decide(intent), CLAIM_WINDOW_MS);
    }
  }

  async function decide(intent: Intent): Promise<void> {
    if (intent.done) return;
    intent.done = true;
    clearTimeout(intent.timer);
    let outcome: FillOutcome = { status: 'nothing', message: t('autofillNoLoginForm') };
    let chosen: Claim | undefined;
    let answer: ClaimAnswer = null;
    try {
      for (const c of [...intent.claims].sort((a, b) => rank(intent, a) - rank(intent, b))) {
        const { entry, why } = await deps.entryFor(intent.entryId, c.frame, c.form);
        if (!entry) {
          if (why) outcome = why;
          continue;
        }
        if (!(await deps.certificateOk(c.frame.origin))) {
          outcome = { status: 'refused', message: CERT_REFUSAL };
          continue;
        }
        if (actionVerdict(c.frame.origin, c.form.actionOrigin, 'click', intent.accepted) !== 'ok') {
          const key = c.form.kind === 'username' ? 'autofillConfirmSendsUsername' : c.form.kind === 'otp' ? 'autofillConfirmSendsCode' : 'autofillConfirmSendsPassword';
          const message = t(key, c.form.actionOrigin, c.frame.origin);
          outcome = { status: 'confirm', actionOrigin: c.form.actionOrigin, entryId: entry.id, message };
          break;
        }
        answer = await deps.orderFor(entry.id, c.frame, c.form);
        if (answer) {
          chosen = c;
          outcome = { status: 'filled', entryId: entry.id, message: t('autofillFilled') };
          break;
        }
      }
    } catch (e) {
      outcome = { status: 'refused', message: e instanceof AppError ? e.message : t('errorFillFailed') };
    }
    for (const c of intent.claims) c.answer(c === chosen ? answer : null);
    if (!chosen) {
      intents.delete(intent.id);
      intent.finish(outcome);
      return;
    }
    // Wait for the frame to say whether the fill really happened (it re-checks the fields).
    intent.chosen = chosen.frame;
    intent.entryId = outcome.entryId;
    intent.timer = setTimeout(() => settle(intent, 'filled'), TRIGGER_TIMEOUT_MS);
  }

  function settle(intent: Intent, result: string) {
    if (!intents.delete(intent.id)) return;
    clearTimeout(intent.timer);
    intent.finish(result === 'filled' ? { status: 'filled', entryId: intent.entryId, message: t('autofillFilled') } : { status: 'refused', message: refusalText(result) });
  }

  return {
    /** Asks the tab's frames and resolves with what happened. */
    trigger(tabId: number, options: { source: TriggerSource; frameId?: number; entryId?: string; accepted?: string }): Promise<FillOutcome> {
      return new Promise<FillOutcome>((finish) => {
        const intent: Intent = { id: deps.newId(), tabId, ...options, claims: [], done: false, finish };
        intents.set(intent.id, intent);
        intent.timer = setTimeout(() => void decide(intent), TRIGGER_TIMEOUT_MS);
        const command: ContentCommand = { latchkey: 1, type: 'autofill.trigger', intentId: intent.id, focusedOnly: options.source === 'command' };
        // No frame answering at all means no frame has anything to fill: say so at once.
        void deps.send(tabId, command, options.frameId).then(
          (reply) => {
            if (reply === undefined && intent.claims.length === 0) void decide(intent);
          },
          () => void decide(intent),
        );
      });
    },

    /** A frame's claim on an intent; null at once when the intent is not for that tab and frame. */
    claim(intentId: string, frame: FrameInfo, form: FormReport): Promise<ClaimAnswer> {
      const intent = intents.get(intentId);
      if (!intent || intent.done || intent.tabId !== frame.tabId || (intent.frameId !== undefined && intent.frameId !== frame.frameId)) return Promise.resolve(null);
      return new Promise<ClaimAnswer>((answer) => {
        const claim: Claim = { frame, form, answer };
        intent.claims.push(claim);
        void consider(intent, claim);
      });
    },

    /** The chosen frame reports whether its fields passed the checks at fill time. */
    result(intentId: string, frame: Pick<FrameInfo, 'tabId' | 'frameId'>, result: string): void {
      const intent = intents.get(intentId);
      if (intent?.chosen && intent.chosen.tabId === frame.tabId && intent.chosen.frameId === frame.frameId) settle(intent, result);
    },
  };
}
