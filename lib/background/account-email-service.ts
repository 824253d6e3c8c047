// The account's email: whether it is confirmed, the 8-digit code the server mailed to it, a new code,
// another address while it is not confirmed yet. The server answers the same whether an address is
// free or belongs to another account (server/README.md, "Emails"), so nothing here can tell either.
import { apiError } from '../api/client';
import { AppError } from '../errors';
import { t } from '../i18n';
import type { MessageRouter } from '../messages/router';
import type { EmailStatus } from '../messages/sync-protocol';
import type { VaultRepository } from '../vault/repository';
import { check, emailSchema, minutesToWait } from './account-service';
import type { FullSessionService } from './session-service';
import type { SyncService } from './sync-service';

export interface AccountEmailDeps {
  router: MessageRouter;
  repo: Pick<VaultRepository, 'sync'>;
  session: Pick<FullSessionService, 'state'>;
  sync: SyncService;
}

/** The server's errors for these calls, said in the catalogue's words; `said` maps the ones we know. */
async function asked<T>(call: () => Promise<T>, said: (code: string, e: unknown) => string | undefined): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const err = apiError(e);
    const message = said(err.code, e);
    throw message ? new AppError(err.code, message, { cause: e }) : err;
  }
}

const status = (r: { email: string; emailConfirmed: boolean }): EmailStatus => ({ email: r.email, confirmed: r.emailConfirmed });

/** "1234 5678", "1234-5678" and " 12345678 " are the same code. */
function codeOf(input: unknown): string {
  const code = typeof input === 'string' ? input.replace(/[\s-]/g, '') : '';
  if (!/^\d{8}$/.test(code)) throw new AppError('BAD_INPUT', t('accountEmailCodeFormat'));
  return code;
}

export function createAccountEmailService(deps: AccountEmailDeps): void {
  const { router, repo, session, sync } = deps;

  /** The signed-in account's client; the connection comes up with one sync if it is not up yet. */
  async function api(): Promise<ReturnType<SyncService['api']>> {
    if (!(await repo.sync())) throw new AppError('UNAUTHENTICATED', t('errorNotSignedIn'));
    if (session.state() !== 'unlocked') throw new AppError('LOCKED', t('accountEmailLocked'));
    try {
      return sync.api();
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'UNAUTHENTICATED') throw e;
      await sync.syncNow();
      return sync.api();
    }
  }

  router.on('account.email', async () => {
    if (!(await repo.sync()) || session.state() !== 'unlocked') return null;
    const client = await api();
    return status(await asked(() => client.account.me.query(), () => undefined));
  });

  router.on('account.confirmEmail', async (input) => {
    const code = codeOf(input?.code);
    const client = await api();
    const confirmed = await asked(
      () => client.account.confirmEmail.mutate({ code }),
      (c, e) =>
        c === 'BAD_INPUT'
          ? t('accountEmailCodeWrong')
          : c === 'RATE_LIMITED'
            ? t('accountEmailCodeTooManyWrong', minutesToWait(e))
            : c === 'CONFLICT'
              ? t('accountEmailConfirmedElsewhere')
              : undefined,
    );
    return status(confirmed);
  });

  const limited = (c: string, e: unknown) => (c === 'RATE_LIMITED' ? t('accountEmailResendLimited', minutesToWait(e)) : undefined);

  router.on('account.resendEmailCode', async () => {
    const client = await api();
    return status(await asked(() => client.account.resendEmailCode.mutate(), limited));
  });

  router.on('account.changeEmail', async (input) => {
    const email = check(emailSchema, input?.email);
    const client = await api();
    const changed = await asked(
      () => client.account.changeEmail.mutate({ email }),
      (c, e) => (c === 'BAD_INPUT' ? t('accountEmailAlreadyConfirmed') : limited(c, e)),
    );
    return status(changed);
  });
}
