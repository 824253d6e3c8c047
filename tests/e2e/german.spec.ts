// The extension in a German browser (Chromium's UI language from its locale, --lang and LANGUAGE/LANG,
// as on a German desktop): chrome.i18n answers in German, and the welcome tab, the popup's main screens
// and the options page show no message of the English catalogue. The positive control runs the
// same check in an English browser and finds English there.
import { expect, test, type Page } from '@playwright/test';
import { launchWithExtension, serviceWorkerOf, welcomePageOf } from './fixtures';
import { englishOn, keysOf, messageOf } from './pages/english-left';

const MASTER = 'quartz lantern obey velvet tundra';
/** What the person types: titles, usernames and the like, which no catalogue translates. */
const USER_DATA = ['Mail', 'Bank', 'anna', 'anna-b', 'mail.example', 'https://mail.example'];
const de = messageOf('de');

async function launchIn(lang: 'de' | 'en') {
  const launched = await launchWithExtension({
    keepWelcome: true,
    locale: lang === 'de' ? 'de-DE' : 'en-US',
    extraArgs: [`--lang=${lang === 'de' ? 'de' : 'en-US'}`],
    env: lang === 'de' ? { LANGUAGE: 'de', LANG: 'de_DE.UTF-8' } : { LANGUAGE: 'en', LANG: 'en_US.UTF-8' },
  });
  const extensionId = new URL((await serviceWorkerOf(launched.context)).url()).host;
  return { ...launched, extensionId, welcome: await welcomePageOf(launched.context) };
}

const uiLanguageOf = (page: Page) => page.evaluate(() => chrome.i18n.getUILanguage());

async function expectNoEnglish(page: Page, screen: string): Promise<void> {
  expect(await englishOn(page, USER_DATA), `English on the ${screen}`).toEqual([]);
}

test('in a German browser the welcome tab, the popup’s main screens and the options page show no English', async () => {
  test.setTimeout(300_000); // Argon2id twice, and eleven screens read
  const browser = await launchIn('de');
  try {
    const { context, extensionId, welcome } = browser;
    await expect(welcome.getByRole('heading', { level: 1 })).toBeVisible(); // the page has loaded
    expect(await uiLanguageOf(welcome), 'Chromium has no German UI here (on Debian: apt-get install chromium-l10n)').toMatch(/^de\b/);
    await expect(welcome.getByRole('heading', { level: 1 })).toHaveText(de('welcomeTitle'));
    await expectNoEnglish(welcome, 'welcome tab');
    await welcome.close();

    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 600 });
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    await expect(page.getByRole('heading', { name: de('createTitle') })).toBeVisible();
    await expectNoEnglish(page, 'first run');
    // The strength meter's words come from zxcvbn: its warnings and suggestions for a weak password,
    // and the time to crack a strong one.
    const rating = page.locator('#password-strength strong');
    await page.getByLabel(de('fieldMasterPassword')).fill('password1');
    await expect(rating).toHaveText(de('strengthScore0'), { timeout: 15_000 });
    await expectNoEnglish(page, 'first run, a weak password rated');
    await page.getByLabel(de('fieldMasterPassword')).fill(MASTER);
    await expect(rating).not.toHaveText(de('strengthScore0'));
    await expectNoEnglish(page, 'first run, a strong password rated');
    await page.getByLabel(de('createConfirm')).fill(MASTER);
    await page.getByRole('button', { name: de('createSubmit'), exact: true }).click();
    await expect(page.getByText(de('popupEmpty'))).toBeVisible({ timeout: 30_000 });
    await expectNoEnglish(page, 'empty vault');

    await page.getByTestId('new-entry').click();
    await expect(page.getByLabel(de('fieldTitle'), { exact: true })).toBeVisible();
    await expectNoEnglish(page, 'new entry form');
    await page.getByLabel(de('fieldTitle'), { exact: true }).fill('Mail');
    await page.getByLabel(de('fieldUsername'), { exact: true }).fill('anna');
    await page.locator('#entry-url-0').fill('https://mail.example');
    await page.getByRole('button', { name: de('entryGenerate') }).click();
    await expect(page.getByTestId('generated')).not.toBeEmpty();
    await expectNoEnglish(page, 'generator');
    await page.getByRole('button', { name: de('generatorUse') }).click();
    await page.getByRole('button', { name: de('actionSave'), exact: true }).click();
    await expect(page.getByTestId('view-password')).toBeVisible();
    await expectNoEnglish(page, 'entry');

    await page.keyboard.press('Escape');
    await page.getByTestId('new-entry').click();
    await page.getByLabel(de('fieldTitle'), { exact: true }).fill('Bank');
    await page.getByLabel(de('fieldUsername'), { exact: true }).fill('anna-b');
    await page.locator('#entry-password').fill('kurz1');
    await page.getByRole('button', { name: de('actionSave'), exact: true }).click();
    await expect(page.getByTestId('view-password')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('entry-count')).toHaveText(de('entryCount_other', '2'));
    await expectNoEnglish(page, 'list');

    await page.getByTestId('health').click();
    await expect(page.getByTestId('health-checked')).toHaveText(de('healthChecked_other', '2'), { timeout: 30_000 });
    await expectNoEnglish(page, 'password health');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: de('popupSettings'), exact: true }).click();
    await expect(page.getByRole('heading', { name: de('settingsTitle') })).toBeVisible();
    await expectNoEnglish(page, 'settings');
    await page.keyboard.press('Escape');

    await page.getByTestId('lock').click();
    await expect(page.getByRole('heading', { name: de('unlockTitle') })).toBeVisible();
    await expectNoEnglish(page, 'unlock');
    await page.getByLabel(de('fieldMasterPassword')).fill('nicht das Hauptpasswort');
    await page.getByRole('button', { name: de('unlockSubmit') }).click();
    await expect(page.getByRole('alert')).toContainText(de('unlockWrongPassword'), { timeout: 30_000 });
    await expectNoEnglish(page, 'unlock, wrong password');
    await page.getByLabel(de('fieldMasterPassword')).fill(MASTER);
    await page.getByRole('button', { name: de('unlockSubmit') }).click();
    await expect(page.getByTestId('entry-count')).toBeVisible({ timeout: 30_000 });

    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await expect(options.getByRole('heading', { name: de('settingsSyncAccount') })).toBeVisible();
    await expectNoEnglish(options, 'options page, create an account');
    await options.getByRole('tab', { name: de('accountModeSignIn') }).click();
    await expect(options.getByRole('button', { name: de('accountSignIn'), exact: true })).toBeVisible();
    await expectNoEnglish(options, 'options page, sign in');
  } finally {
    await browser.close();
  }
});

test('positive control: in an English browser the same check finds the English on the same screens', async () => {
  test.setTimeout(120_000);
  const browser = await launchIn('en');
  try {
    const { context, extensionId, welcome } = browser;
    await expect(welcome.getByRole('heading', { level: 1 })).toHaveText('Welcome to Latchkey'); // the page has loaded
    expect(await uiLanguageOf(welcome)).toMatch(/^en\b/);
    expect(keysOf(await englishOn(welcome, USER_DATA))).toEqual(expect.arrayContaining(['welcomeTitle', 'welcomeIntro', 'startCreateVault']));
    await welcome.close();

    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    await expect(page.getByRole('heading', { name: 'Create your Latchkey vault' })).toBeVisible();
    await page.getByLabel('Master password').fill('password1');
    await expect(page.locator('#password-strength strong')).toHaveText('Very weak', { timeout: 15_000 });
    // A heading, a sentence with a link cut out of it, labels, a button, and zxcvbn's words.
    const firstRun = keysOf(await englishOn(page, USER_DATA));
    expect(firstRun).toEqual(expect.arrayContaining(['createTitle', 'createHaveAccount', 'createConfirm', 'createSubmit', 'strengthScore0']));
    expect(firstRun.filter((key) => /^strength(Warning|Suggestion)/.test(key)).length).toBeGreaterThan(0);
    // A message with a substitution: ": about $1 to crack offline."
    await page.getByLabel('Master password').fill(MASTER);
    await expect(page.locator('#password-strength strong')).not.toHaveText('Very weak');
    expect(keysOf(await englishOn(page, USER_DATA))).toContain('strengthCrackTime');

    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await expect(options.getByRole('heading', { name: 'Sync account' })).toBeVisible();
    expect(keysOf(await englishOn(options, USER_DATA))).toEqual(expect.arrayContaining(['settingsPageTitle', 'settingsSyncAccount', 'accountModeSignIn', 'importHeading']));
  } finally {
    await browser.close();
  }
});
