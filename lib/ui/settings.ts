// Rules of the settings a person can change from the popup and the options page.

export const IDLE_MINUTES = { min: 1, max: 1440, default: 15 } as const;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseIdleMinutes(text: string): Parsed<number> {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!trimmed || !Number.isInteger(value) || value < IDLE_MINUTES.min || value > IDLE_MINUTES.max) {
    return { ok: false, message: `Enter a whole number of minutes from ${IDLE_MINUTES.min} to ${IDLE_MINUTES.max} (24 hours).` };
  }
  return { ok: true, value };
}
