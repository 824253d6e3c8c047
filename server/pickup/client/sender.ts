// Who sent a link, as the pick-up page says it.

/**
 * Who sent it: the account's username as the server knows it, and the name sealed in the link when
 * it says something more (the extension seals the same username, so it shows once).
 */
export function senderText(sealedName: string | undefined, username: string): string {
  const name = sealedName?.trim();
  return name && name !== username ? `${name} (${username})` : username;
}
