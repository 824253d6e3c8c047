import { describe, expect, it } from 'vitest';
import { createBadge } from '../../../lib/background/badge';
import { createLiveCounters } from '../../../lib/background/live-counters';

describe('live counters', () => {
  it('tell each listener only when its own counter moves, tracked events or plain', () => {
    const counters = createLiveCounters();
    const heard: string[] = [];
    counters.on('linkSeq', () => heard.push('links'));
    counters.on('peopleSeq', () => heard.push('people'));
    expect(counters.input()).toEqual({ linkSeq: 0, peopleSeq: 0 });
    counters.seen({ id: '1.0.0', data: { cursor: 1, linkSeq: 0, peopleSeq: 0 } });
    expect(heard).toEqual(['links', 'people']); // first sight: both refresh
    counters.seen({ id: '2.0.0', data: { cursor: 2, linkSeq: 0, peopleSeq: 0 } });
    expect(heard).toEqual(['links', 'people']);
    counters.seen({ cursor: 3, linkSeq: 0, peopleSeq: 4 });
    expect(heard).toEqual(['links', 'people', 'people']);
    expect(counters.input()).toEqual({ linkSeq: 0, peopleSeq: 4 });
    counters.seen({ data: { peopleSeq: 'x' } });
    expect(heard).toHaveLength(3);
  });
});

describe('toolbar badge', () => {
  it('shows the sum of link openings and unread messages, so one never wipes the other', () => {
    const shown: string[] = [];
    const badge = createBadge((text) => shown.push(text));
    badge('links', 2);
    badge('messages', 3);
    badge('links', 0);
    badge('messages', 0);
    badge('messages', -1);
    expect(shown).toEqual(['2', '5', '3', '', '']);
  });
});
