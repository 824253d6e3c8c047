// Where the ways to start lead (the welcome tab and the empty vault).

/** The options page's address that opens it on the import section. */
export const IMPORT_HASH = '#import';
