// `send`, as the popup's state classes use it: a LOCKED answer anywhere returns the popup to the
// unlock screen, whichever request noticed it.
import { send } from '../messages/client';

export type Ask = typeof send;

export function lockAware(onLocked: () => void): Ask {
  return async (type, ...payload) => {
    const reply = await send(type, ...payload);
    if (!reply.ok && reply.code === 'LOCKED') onLocked();
    return reply;
  };
}
