// The toolbar badge: several features count something there (link shares opened, unread
// messages); the badge shows their sum so one never wipes out the other.
export type BadgeSource = 'links' | 'messages';

export function createBadge(show: (text: string) => void) {
  const counts = new Map<BadgeSource, number>();
  return (source: BadgeSource, count: number): void => {
    counts.set(source, Number.isSafeInteger(count) && count > 0 ? count : 0);
    let total = 0;
    for (const n of counts.values()) total += n;
    show(total === 0 ? '' : String(total));
  };
}
