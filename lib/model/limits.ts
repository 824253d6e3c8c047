// Limits shared by the entry schema and the popup's form, in a module without zod so the popup
// can import them without pulling the schemas into its first chunk.

/** Largest value any one field may hold, in bytes of UTF-8. */
export const MAX_FIELD_BYTES = 64 * 1024;
/** Most URLs or tags one entry may hold. */
export const MAX_LIST_ITEMS = 100;

/**
 * Bytes of UTF-8 in a string, counted without encoding it (an import checks 80,000 fields; a
 * TextEncoder per field was most of its validation). A lone surrogate counts 3, as U+FFFD.
 */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: 4 bytes for 2 units
      i++;
    } else n += 2;
  }
  return n;
}

/** A string of n UTF-16 units is at most 3n bytes of UTF-8, so short values skip the count. */
export function tooLargeForField(s: string): boolean {
  return s.length * 3 > MAX_FIELD_BYTES && utf8Length(s) > MAX_FIELD_BYTES;
}
