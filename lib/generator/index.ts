// The password generator: random passwords and passphrases, all from crypto.getRandomValues.
export * from './password';
export * from './passphrase';
export { randomInt, type RandomSource } from './random';

/** The passphrase word list lives in its own chunk so the popup does not load it until needed. */
export async function loadWordList(): Promise<readonly string[]> {
  return (await import('./words')).WORDS;
}
