// Messages written the same in German and in English, each for a reason: the product's and other
// products' names, file formats, words German has borrowed, and messages made only of substitutions.
// The catalogue test (locales.test.ts) allows no other identical message, and the German end-to-end
// test (tests/e2e/german.spec.ts) does not count these as English left on screen.
export const SAME_IN_GERMAN: ReadonlySet<string> = new Set([
  'extName', // Latchkey
  'toolbarFillProblem', // Latchkey: $1
  'importMappingTarget', // In Latchkey
  'accountServer', // Server
  'importFormatLabel', // Format
  'linkPassphraseLabel', // Passphrase
  'accountLastSyncLive', // $1 · live
  'accountLastSyncOffline', // $1 · offline
  'entryWebsites_one', // Website
  'entryWebsites_other', // Websites
  'importFormatBitwardenCsv',
  'importFormatFirefoxCsv',
  'importFormatLastpassCsv',
  'importFormatOnepassword1pux',
  'importFormatOnepasswordCsv',
  'importFormatPasspackCsv',
  'importFormatPsonoJson',
  'filtersFolderOption', // $1 ($2)
  'filtersTagOption', // #$1 ($2)
  'menuEntryWithUsername', // $1 ($2)
  'healthWeakReason', // $1, $2
]);
