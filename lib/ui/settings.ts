// Rules of the settings a person can change from the popup and the options page.
import { t } from '../i18n';

export const IDLE_MINUTES = { min: 1, max: 1440, default: 15 } as const;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseIdleMinutes(text: string): Parsed<number> {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!trimmed || !Number.isInteger(value) || value < IDLE_MINUTES.min || value > IDLE_MINUTES.max) {
    return { ok: false, message: t('settingsIdleInvalid', IDLE_MINUTES.min, IDLE_MINUTES.max) };
  }
  return { ok: true, value };
}
