// Limits shared by the entry schema and the popup's form, in a module without zod so the popup
// can import them without pulling the schemas into its first chunk.

/** Largest value any one field may hold, in bytes of UTF-8. */
export const MAX_FIELD_BYTES = 64 * 1024;
/** Most URLs or tags one entry may hold. */
export const MAX_LIST_ITEMS = 100;
