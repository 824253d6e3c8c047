// The session token as this device keeps it (sealed with the user key), and the sizes sync reports.
import { associatedData } from '../crypto/ad';
import { seal } from '../crypto/aead';
import { utf8 } from '../crypto/encoding';
import { formatNumber } from '../i18n';

export const tokenAd = () => associatedData({ kind: 'settings', id: 'session-token' });

export function sealToken(userKey: Uint8Array, token: string): Uint8Array {
  return seal(userKey, utf8(token), tokenAd());
}

export function mebibytes(bytes: unknown): string {
  return formatNumber(Math.ceil((typeof bytes === 'number' ? bytes : 0) / (1024 * 1024)));
}

