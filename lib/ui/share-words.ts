// The words for a share permission, everywhere the popup shows one, and the share filter as the
// filter menu's option value.
import { t } from '../i18n';
import type { ShareRole } from '../messages/share-protocol';
import type { SharedFilter } from '../vault/share-filter';

export function roleLabel(role: ShareRole): string {
  return role === 'grant' ? t('shareRoleGrant') : role === 'write' ? t('shareRoleWrite') : t('shareRoleRead');
}

/** The share filter as the filter menu's option value ('' for none), and back. */
export function sharedFilterValue(filter: SharedFilter | null): string {
  if (!filter) return '';
  return filter.kind === 'byMeWith' ? `with:${filter.userId}` : filter.kind;
}

export function sharedFilterOf(value: string): SharedFilter | null {
  if (value === 'withMe' || value === 'byMe') return { kind: value };
  if (value.startsWith('with:') && value.length > 5) return { kind: 'byMeWith', userId: value.slice(5) };
  return null;
}
