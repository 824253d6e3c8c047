// Whether an https origin's certificate is valid (SECURITY.md 7). The service worker's own request
// does not inherit a person's "proceed anyway" on a certificate warning, so it fails exactly where
// the page's certificate was bypassed. One HEAD request without cookies, remembered for ten minutes.
import { t } from '../i18n';
export const CERT_TTL_MS = 10 * 60_000;

export const CERT_REFUSAL = t('autofillRefusedCertificate');

export function createCertificateCheck(deps: { fetch?: typeof fetch; now: () => number }) {
  const known = new Map<string, { ok: Promise<boolean>; at: number }>();
  return (origin: string): Promise<boolean> => {
    if (!origin.startsWith('https:')) return Promise.resolve(true);
    const seen = known.get(origin);
    if (seen && deps.now() - seen.at < CERT_TTL_MS) return seen.ok;
    const request = deps.fetch ?? fetch;
    const ok = request(`${origin}/`, { method: 'HEAD', credentials: 'omit', cache: 'no-store', redirect: 'manual' }).then(
      () => true,
      () => false,
    );
    known.set(origin, { ok, at: deps.now() });
    return ok;
  };
}
