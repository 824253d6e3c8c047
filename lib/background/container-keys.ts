// The one place an entry record's container key comes from: the user key for the personal vault,
// the share key of the record's epoch for a share (share-keyring.ts). Every open and seal of an
// entry record asks here, never session.userKey() directly.
import { AppError } from '../errors';
import { t } from '../i18n';
import type { EntryRecord } from '../vault/db';
import { PERSONAL } from './entry-write';
import type { SessionService } from './types';

export interface ContainerKeys {
  /** The key entries of `container` written under `epoch` are wrapped with; throws when it is not here. */
  keyFor(container: string, epoch: number): Uint8Array;
  /** Reads the stored keys (after unlock) before the first entry is opened. */
  ready(): Promise<void>;
}

export const keyOfRecord = (keys: ContainerKeys, r: Pick<EntryRecord, 'container' | 'keyEpoch'>): Uint8Array => keys.keyFor(r.container, r.keyEpoch ?? 0);

/** Keys for a background without shares (and the tests of the personal vault). */
export function personalKeys(session: Pick<SessionService, 'userKey'>): ContainerKeys {
  return {
    keyFor(container) {
      if (container === PERSONAL) return session.userKey();
      throw new AppError('NOT_FOUND', t('shareErrorNoKey'), { subject: container });
    },
    ready: async () => undefined,
  };
}
