// Sending a message from any context. Sending never throws: every outcome is an Envelope.
import { browser } from 'wxt/browser';
import type { Envelope, Message, MessageType, RequestOf, ResponseOf } from './protocol';
import { t } from '../i18n';

export async function send<T extends MessageType>(
  type: T,
  ...payload: RequestOf<T> extends void ? [] : [RequestOf<T>]
): Promise<Envelope<ResponseOf<T>>> {
  const message: Message<T> = { latchkey: 1, type, payload: payload[0] as RequestOf<T> };
  try {
    const reply = (await browser.runtime.sendMessage(message)) as Envelope<ResponseOf<T>> | undefined;
    if (!reply || typeof reply !== 'object' || !('ok' in reply)) {
      return { ok: false, code: 'INTERNAL', message: t('errorBackgroundNoAnswer') };
    }
    return reply;
  } catch {
    return { ok: false, code: 'INTERNAL', message: t('errorBackgroundUnreachable') };
  }
}

/** Like send, but throws the envelope's error as an AppError-shaped Error; for UI code that prefers try/catch. */
export async function call<T extends MessageType>(
  type: T,
  ...payload: RequestOf<T> extends void ? [] : [RequestOf<T>]
): Promise<ResponseOf<T>> {
  const reply = await send(type, ...payload);
  if (reply.ok) return reply.value;
  const { AppError } = await import('../errors');
  throw new AppError(reply.code, reply.message, { subject: reply.subject });
}
