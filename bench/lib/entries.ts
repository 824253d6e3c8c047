// A deterministic generator of realistic vault entries: varied titles, hosts, usernames, tags and
// folders, a long tail of one-off sites and a few sites with many entries (as a team vault has).
// The same seed gives the same vault on every run, so runs compare.

export interface ImportRecord {
  title: string;
  username: string;
  password: string;
  url: string;
  tags: string[];
  folder: string;
  notes: string;
}

/** mulberry32: small, fast, good enough to pick words. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BRANDS = [
  'GitHub', 'GitLab', 'Google', 'Gmail', 'Microsoft', 'Outlook', 'Slack', 'Atlassian', 'Jira', 'Confluence',
  'Amazon', 'AWS Console', 'Netflix', 'Spotify', 'Dropbox', 'Box', 'Zoom', 'Salesforce', 'HubSpot', 'Stripe',
  'PayPal', 'Figma', 'Notion', 'Trello', 'Asana', 'Linear', 'Heroku', 'DigitalOcean', 'Cloudflare', 'Namecheap',
  'LinkedIn', 'Twitter', 'Facebook', 'Instagram', 'Reddit', 'Stack Overflow', 'npm', 'Docker Hub', 'Sentry', 'Datadog',
  'PagerDuty', 'Zendesk', 'Intercom', 'Mailchimp', 'SendGrid', 'Twilio', 'Shopify', 'WordPress', 'Squarespace', 'Wix',
  'Adobe', 'Canva', 'Miro', 'Airtable', 'Calendly', 'DocuSign', 'Xero', 'QuickBooks', 'Gusto', 'Workday',
  'BambooHR', 'Okta', 'OneLogin', 'Bitbucket', 'CircleCI', 'Vercel', 'Netlify', 'Fastly', 'Akamai', 'Oracle Cloud',
];
const WORDS = [
  'north', 'blue', 'river', 'stone', 'pixel', 'delta', 'harbor', 'maple', 'orbit', 'cedar', 'lumen', 'ember', 'quartz',
  'summit', 'willow', 'vector', 'falcon', 'atlas', 'copper', 'meadow', 'nimbus', 'tidal', 'aurora', 'granite', 'hollow',
];
const TLDS = ['com', 'com', 'com', 'io', 'net', 'org', 'co.uk', 'de', 'fr', 'app', 'dev'];
const SUBDOMAINS = ['', '', '', 'www.', 'app.', 'login.', 'accounts.', 'portal.', 'my.', 'admin.'];
const FIRST = ['alex', 'maria', 'sam', 'li', 'priya', 'jonas', 'fatima', 'tom', 'yuki', 'omar', 'elena', 'noah', 'ines', 'kofi', 'anna', 'raj'];
const LAST = ['smith', 'garcia', 'chen', 'nguyen', 'müller', 'rossi', 'kowalski', 'okafor', 'tanaka', 'silva', 'dubois', 'hansen'];
const MAIL = ['gmail.com', 'outlook.com', 'acme-corp.com', 'example.org', 'proton.me', 'fastmail.com'];
const TAGS = ['work', 'personal', 'finance', 'social', 'dev', 'ops', 'shared', 'admin', 'billing', 'legacy', '2fa', 'travel', 'shopping', 'marketing', 'hr', 'prod', 'staging'];
const FOLDERS = ['', '', 'Work', 'Personal', 'Finance', 'Engineering', 'Engineering/Infra', 'Engineering/CI', 'Marketing', 'Clients/Acme', 'Clients/Globex', 'Clients/Initech', 'Family', 'Archive'];
const QUALIFIERS = ['', '', '', ' (work)', ' (personal)', ' — admin', ' staging', ' prod', ' old', ' team', ' billing', ' test account'];
const NOTE_LINES = ['Recovery codes in the safe.', 'Shared with the ops rota.', 'Security question: first pet.', 'Renew before March.', 'Account number 4471-22', 'Use the SSO button first.'];

/** Hosts that hold many entries each (a hosting console, an intranet, a client portal). */
export const BUSY_HOSTS = ['console.aws.amazon.com', 'intranet.acme-corp.com', 'portal.globex.example', 'wp-admin.clients.example.net'];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function password(rand: () => number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%^&*-_';
  const len = 12 + Math.floor(rand() * 12);
  let out = '';
  for (let i = 0; i < len; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

function username(rand: () => number): string {
  const f = pick(rand, FIRST);
  const l = pick(rand, LAST);
  switch (Math.floor(rand() * 4)) {
    case 0: return `${f}.${l}@${pick(rand, MAIL)}`;
    case 1: return `${f}${Math.floor(rand() * 100)}`;
    case 2: return `${f[0]}${l}`;
    default: return `${f}_${l}@${pick(rand, MAIL)}`;
  }
}

/**
 * `count` entries from `seed`. About 15% go to the BUSY_HOSTS, the rest to brand sites and a long
 * tail of made-up hosts. Entry i is the same for every count, so a 50,000 vault contains the 10,000 one.
 */
export function generateEntries(count: number, seed = 20261123, offset = 0): ImportRecord[] {
  const out: ImportRecord[] = [];
  for (let i = offset; i < offset + count; i++) {
    const rand = prng(seed ^ Math.imul(i + 1, 0x9e3779b1));
    const r = rand();
    let title: string;
    let host: string;
    if (r < 0.15) {
      host = pick(rand, BUSY_HOSTS);
      title = `${host.split('.')[1]} ${pick(rand, WORDS)}-${Math.floor(rand() * 900 + 100)}`;
    } else if (r < 0.6) {
      const brand = pick(rand, BRANDS);
      host = `${pick(rand, SUBDOMAINS)}${slug(brand)}.${pick(rand, TLDS)}`;
      title = `${brand}${pick(rand, QUALIFIERS)}`;
    } else {
      const name = `${pick(rand, WORDS)}${pick(rand, WORDS)}`;
      host = `${pick(rand, SUBDOMAINS)}${name}.${pick(rand, TLDS)}`;
      title = `${name[0]!.toUpperCase()}${name.slice(1)}${pick(rand, QUALIFIERS)}`;
    }
    const tagCount = Math.floor(rand() * 3);
    const tags = [...new Set(Array.from({ length: tagCount }, () => pick(rand, TAGS)))];
    const notes = rand() < 0.2 ? pick(rand, NOTE_LINES) : '';
    out.push({ title, username: username(rand), password: password(rand), url: `https://${host}/${rand() < 0.5 ? 'login' : ''}`, tags, folder: pick(rand, FOLDERS), notes });
  }
  return out;
}

/** `count` entries all for one site (autologin must pick among them). */
export function entriesForSite(host: string, count: number, seed = 7): ImportRecord[] {
  return generateEntries(count, seed).map((e, i) => ({ ...e, title: `${host} account ${i + 1}`, url: `https://${host}/login` }));
}
