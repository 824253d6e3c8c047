// The refusals of share verification (issue 14, SECURITY.md 24 and 26), one per thing that was
// wrong, so a person (and a test) can tell a forged signature from a changed key or a replay.

import { AppError } from '../errors';
import { t } from '../i18n';

export const shareErrors = {
  /** A statement that does not parse or contradicts itself. */
  damaged: (cause?: unknown) => new AppError('CORRUPT_RECORD', t('shareErrorDamaged'), { cause }),
  /** A signature that does not verify under the key it must come from. */
  forged: () => new AppError('DECRYPT_FAILED', t('shareErrorForged')),
  /** Signed by someone who may not: not a member with grant (or expired) in the roster it rests on. */
  signerNotAllowed: () => new AppError('DECRYPT_FAILED', t('shareErrorSignerNotAllowed')),
  /** The first epoch I accept is signed by no connection of mine. */
  notPinned: () => new AppError('DECRYPT_FAILED', t('shareErrorNotPinned')),
  /** A member's keys differ from the keys I pinned for them. */
  keyChanged: (username: string, userId: string) => new AppError('KEY_MISMATCH', t('shareErrorKeyChanged', username), { subject: userId }),
  /** The statement names another key (or person) for me than mine. */
  notMine: () => new AppError('KEY_MISMATCH', t('shareErrorNotMine')),
  /** An epoch not newer than the last verified one. */
  replayed: () => new AppError('DECRYPT_FAILED', t('shareErrorReplayed')),
  /** An epoch that does not chain to the last verified one (hash, gap, other container). */
  brokenChain: () => new AppError('DECRYPT_FAILED', t('shareErrorBrokenChain')),
  /** The opened key is not the one the signed statements commit to. */
  keyCommitment: () => new AppError('DECRYPT_FAILED', t('shareErrorKeyCommitment')),
  /** I tried to change members without grant. */
  noGrant: () => new AppError('FORBIDDEN', t('shareErrorNoGrant')),
};
