// The words for what the content script reports about a fill (codes; it carries no catalogue).
// Background only.
import type { FillRefusal } from '../messages/autofill-protocol';
import { t, type MessageKey } from '../i18n';

const KEYS: Record<FillRefusal, MessageKey> = {
  noField: 'autofillRefusedNoField',
  fieldChanged: 'autofillRefusedFieldChanged',
  notVisible: 'autofillRefusedNotVisible',
  covered: 'autofillRefusedCovered',
  frameCovered: 'autofillRefusedFrameCovered',
  actionChanged: 'autofillRefusedActionChanged',
  passwordChanged: 'autofillRefusedPasswordChanged',
};

/** The sentence for a content script's result; text it sent as it was (older codes) stays as is. */
export function refusalText(result: string): string {
  return Object.hasOwn(KEYS, result) ? t(KEYS[result as FillRefusal]) : result;
}
