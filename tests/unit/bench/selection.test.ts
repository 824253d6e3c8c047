import { describe, expect, it } from 'vitest';
import { extensionParts, GROUPS, selectGroups } from '../../../bench/lib/selection';

describe('bench --only', () => {
  it('runs the popup rows for --only=popup, without the unlock and first-rows part', () => {
    const groups = selectGroups(['--only=popup']);
    expect([...groups]).toEqual(['popup']);
    expect(extensionParts(groups)).toEqual({ unlockAndList: false, popup: true });
  });

  it('runs the extension bench for unlock or vault, and not for the server alone', () => {
    expect(extensionParts(selectGroups(['--only=unlock']))).toEqual({ unlockAndList: true, popup: false });
    expect(extensionParts(selectGroups(['--only=vault,popup']))).toEqual({ unlockAndList: true, popup: true });
    expect(extensionParts(selectGroups(['--quick', '--only=server']))).toBeUndefined();
  });

  it('runs every group without --only, and refuses a name it does not know instead of running nothing', () => {
    expect([...selectGroups(['--quick'])]).toEqual([...GROUPS]);
    expect(() => selectGroups(['--only=popups'])).toThrow(/unknown group "popups".*unlock, vault, popup/);
    expect(() => selectGroups(['--only='])).toThrow(/no group named/);
  });
});
