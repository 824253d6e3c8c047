// A one-time-code secret from a QR code image dropped or pasted onto the entry form (issue 15): a
// real PNG made by the qrcode library, read in the popup by jsQR, stored with the entry, and the
// popup then shows the entry's current code.
import type { Page } from '@playwright/test';
import { TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { expect, test } from './fixtures';
import { PopupPage } from './pages/popup';

const MASTER = 'quartz lantern obey velvet tundra';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const URI = `otpauth://totp/Example:alice?secret=${SECRET}&issuer=Example`;

/** Hands the field an image the way the browser does for a drop or a paste (a File in a DataTransfer). */
async function giveImage(page: Page, how: 'drop' | 'paste', base64: string, type = 'image/png'): Promise<void> {
  await page.getByTestId('totp-field').evaluate(
    (input, { how, base64, type }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'qr.png', { type }));
      const event = how === 'drop' ? new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }) : new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: data });
      input.dispatchEvent(event);
    },
    { how, base64, type },
  );
}

test('a dropped or pasted QR code image fills the one-time-code field; the entry then shows its code', async ({ context, extensionId }) => {
  const png = (await QRCode.toBuffer(URI, { type: 'png', scale: 6, margin: 4 })).toString('base64');
  const popup = await PopupPage.open(context, extensionId);
  await popup.createVault(MASTER);
  await popup.page.getByRole('button', { name: 'New entry' }).click();
  await popup.fillEntryForm({ title: 'With a code', username: 'alice' });

  // An image that is no QR code: a clear error, the field unchanged.
  const blank = (await QRCode.toBuffer('x', { type: 'png' })).toString('base64');
  await giveImage(popup.page, 'drop', blank.slice(0, 40), 'image/png');
  await expect(popup.page.getByRole('alert')).toContainText('could not be opened');
  await expect(popup.page.getByTestId('totp-field')).toHaveValue('');

  await giveImage(popup.page, 'drop', png);
  await expect(popup.page.getByTestId('totp-field')).toHaveValue(URI);
  await popup.page.getByTestId('totp-field').fill('');
  await giveImage(popup.page, 'paste', png);
  await expect(popup.page.getByTestId('totp-field')).toHaveValue(URI);

  await popup.saveForm();
  await expect(popup.page.getByRole('heading', { name: 'With a code' })).toBeVisible();
  const totp = new TOTP({ secret: SECRET });
  const shown = (await popup.page.getByTestId('totp-code').textContent())!.replace(/\s/g, '');
  expect([totp.generate(), totp.generate({ timestamp: Date.now() - 30_000 })]).toContain(shown);
});
