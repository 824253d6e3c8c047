// Guards the rule that the words the background and the shared libraries produce for a person (errors,
// fill refusals and confirmations, import problems, menu titles) come from the catalogue: an AppError
// or a reported message built from a literal sentence would reach the popup in English whatever the
// browser's language.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = new URL('../../../', import.meta.url).pathname;

/** Where the background's and the shared libraries' person-facing texts are made. */
const DIRS = ['lib/background', 'lib/vault', 'lib/crypto', 'lib/model', 'lib/autofill', 'lib/import', 'lib/export', 'lib/totp', 'lib/generator', 'lib/messages', 'lib/api'];
/** Properties whose value a person reads: a fill outcome's message, a refusal, a menu or button title, a sync error. */
const READ_PROPERTIES = new Set(['message', 'refused', 'title', 'lastError']);
/**
 * Literal texts allowed, each with its reason. `lib/autofill/runtime.ts` is the always-injected content
 * script's line to the background: it stays free of the catalogue, and its two envelopes are never shown.
 * The toolbar button's plain title is the product's name. (A conflict copy's title suffix,
 * CONFLICT_COPY_SUFFIX in lib/vault/merge.ts, is stored and synced data, the same on every device.)
 */
const ALLOWED = new Set([
  'lib/autofill/runtime.ts: message: No answer from Latchkey.',
  'lib/autofill/runtime.ts: message: Latchkey is not reachable.',
  'lib/background/autofill-service.ts: title: Latchkey',
]);
const LETTERS = /\p{L}{2,}/u;

function literalText(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isParenthesizedExpression(node)) return literalText(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return LETTERS.test(node.text) ? node.text : undefined;
  if (ts.isTemplateExpression(node)) {
    const text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('…');
    return LETTERS.test(text) ? text : undefined;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return literalText(node.left) ?? literalText(node.right);
  if (ts.isConditionalExpression(node)) return literalText(node.whenTrue) ?? literalText(node.whenFalse);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) return literalText(node.right);
  return undefined;
}

/** Literal sentences in `new AppError(code, <literal>)` and in read properties, as `file: where: text`. */
export function literalMessages(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'AppError') {
      const text = literalText(node.arguments?.[1]);
      if (text !== undefined) found.push(`${file}: new AppError: ${text}`);
    } else if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && READ_PROPERTIES.has(node.name.text)) {
      const text = literalText(node.initializer);
      if (text !== undefined) found.push(`${file}: ${node.name.text}: ${text}`);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && READ_PROPERTIES.has(node.left.text)) {
      const text = literalText(node.right);
      if (text !== undefined) found.push(`${file}: ${node.left.text}: ${text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('texts the background and the shared libraries show', () => {
  const files = DIRS.flatMap((dir) =>
    (readdirSync(join(root, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(dir, f)),
  );

  it('finds the files to check', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain('lib/background/vault-service.ts');
  });

  it('flags literal sentences in AppErrors and read properties, and nothing built with t()', () => {
    const found = literalMessages('x.ts', `
      throw new AppError('BAD_INPUT', 'Type a name.');
      throw new AppError('NOT_FOUND', \`Entry \${id} is gone.\`, { subject: id });
      throw new AppError('BAD_INPUT', r.message ?? 'Check it.');
      throw new AppError('CONFLICT', t('errorEntryGone'));
      throw new AppError(reply.code, reply.message);
      const o = { status: 'refused', message: ok ? t('a') : 'Could not fill.' };
      const p = { status: 'filled', message: t('autofillFilled'), title: '' };
      lastError = 'Signed out.';
      create({ id, title: 'Fill login' });
    `);
    expect(found).toEqual([
      'x.ts: new AppError: Type a name.',
      'x.ts: new AppError: Entry … is gone.',
      'x.ts: new AppError: Check it.',
      'x.ts: message: Could not fill.',
      'x.ts: lastError: Signed out.',
      'x.ts: title: Fill login',
    ]);
  });

  it('builds every error, refusal and title from the catalogue (put the sentence in public/_locales/en/messages.json and call t())', () => {
    const found = files.flatMap((f) => literalMessages(f, readFileSync(join(root, f), 'utf8')));
    expect(found.filter((f) => !ALLOWED.has(f))).toEqual([]);
    // The allow-list holds only what is still there.
    expect([...ALLOWED].filter((a) => !found.includes(a))).toEqual([]);
  });
});
