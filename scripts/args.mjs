// Command-line options shared by the scripts: `--name value` pairs taken out of an argv copy.

/** Removes `name value` from args and returns the value (undefined when absent). */
export function takeOption(args, name) {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}
