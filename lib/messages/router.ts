// The background's side of the protocol: services register handlers here. The router checks the
// sender against each message's allow-list before a handler runs, and turns throws into envelopes.
import { AppError, toAppError } from '../errors';
import { isMessage, SENDERS, type Envelope, type MessageType, type RequestOf, type ResponseOf, type SenderKind } from './protocol';
import { t } from '../i18n';

export interface SenderInfo {
  kind: SenderKind;
  tabId?: number;
  frameId?: number;
  /** The sending frame's own origin (for content scripts: the frame, never the top page). */
  origin?: string;
  url?: string;
  /** The sending document (Chrome): tells one page load of a tab from the next. */
  documentId?: string;
}

export type Handler<T extends MessageType> = (payload: RequestOf<T>, sender: SenderInfo) => Promise<ResponseOf<T>> | ResponseOf<T>;

/** Minimal shape of runtime.MessageSender that we read. */
export interface RuntimeSender {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number; url?: string };
  frameId?: number;
  documentId?: string;
}

export interface MessageRouter {
  on<T extends MessageType>(type: T, handler: Handler<T>): void;
  dispatch(message: unknown, sender: RuntimeSender): Promise<Envelope<unknown>> | undefined;
}

/**
 * Works out who sent a message. Extension pages are recognised by their exact URL under our own
 * extension origin; anything in a tab that is not an extension page is a content script.
 */
export function classifySender(sender: RuntimeSender, extensionId: string, extensionOrigin: string): SenderInfo | undefined {
  if (sender.id !== extensionId) return undefined;
  const url = sender.url ?? '';
  const inExtension = url.startsWith(`${extensionOrigin}/`);
  if (inExtension) {
    const path = new URL(url).pathname;
    if (path === '/popup.html') return { kind: 'popup', url, tabId: sender.tab?.id };
    if (path === '/options.html') return { kind: 'options', url, tabId: sender.tab?.id };
    if (path === '/offscreen.html') return { kind: 'offscreen', url };
    return undefined;
  }
  if (!sender.tab || sender.tab.id === undefined) return undefined;
  let origin = sender.origin;
  if (!origin) {
    try {
      origin = new URL(url).origin;
    } catch {
      origin = 'null';
    }
  }
  return { kind: 'content', tabId: sender.tab.id, frameId: sender.frameId ?? 0, origin, url, documentId: sender.documentId };
}

export function createMessageRouter(identify: (sender: RuntimeSender) => SenderInfo | undefined): MessageRouter {
  const handlers = new Map<MessageType, Handler<MessageType>>();

  return {
    on(type, handler) {
      if (handlers.has(type)) throw new Error(`A handler for ${type} is already registered`);
      handlers.set(type, handler as unknown as Handler<MessageType>);
    },

    dispatch(message, runtimeSender) {
      if (!isMessage(message)) return undefined;
      const type = message.type as MessageType;
      const handler = handlers.get(type);
      if (!handler) return undefined;
      return (async (): Promise<Envelope<unknown>> => {
        try {
          const sender = identify(runtimeSender);
          const allowed = SENDERS[type] as readonly SenderKind[] | undefined;
          if (!sender || !allowed || !allowed.includes(sender.kind)) {
            throw new AppError('FORBIDDEN', t('errorForbiddenSender'));
          }
          const value = await handler(message.payload as never, sender);
          return { ok: true, value };
        } catch (e) {
          const err = toAppError(e, t('errorUnexpected'));
          return { ok: false, code: err.code, message: err.message, subject: err.subject };
        }
      })();
    },
  };
}
