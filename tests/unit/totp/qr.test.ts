// Reading a one-time-code QR code: real PNG images of otpauth:// URIs made by the qrcode library,
// decoded to pixels (pngjs) and read by lib/totp/qr (jsQR), as the entry form does with a dropped
// or pasted screenshot.
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { normalizeTotp, totpCode } from '../../../lib/totp';
import { decodeQrPixels } from '../../../lib/totp/qr';

const URI = 'otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Example&algorithm=SHA256&digits=8&period=60';

async function png(text: string, options: QRCode.QRCodeToBufferOptions = {}): Promise<PNG> {
  return PNG.sync.read(await QRCode.toBuffer(text, { type: 'png', margin: 4, scale: 6, ...options }));
}

const read = (image: PNG) => decodeQrPixels(new Uint8ClampedArray(image.data), image.width, image.height);

describe('QR codes of one-time-code secrets', () => {
  it('reads the otpauth:// URI of a generated PNG, with its algorithm, digits and period', async () => {
    const uri = read(await png(URI));
    expect(uri).toBe(URI);
    const stored = normalizeTotp(uri);
    expect(stored).toContain('algorithm=SHA256');
    expect(totpCode(stored, 59_000 * 1000).code).toMatch(/^\d{8}$/);
  });

  it('reads a light-on-dark QR code (inverted) and a small one', async () => {
    expect(read(await png(URI, { color: { dark: '#ffffffff', light: '#000000ff' } }))).toBe(URI);
    expect(read(await png(URI, { scale: 3, margin: 2 }))).toBe(URI);
  });

  it('refuses a QR code that is not for one-time codes, and an image without one', async () => {
    expect(() => read(Object.assign(new PNG({ width: 200, height: 200 }), {}))).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('No one-time-code QR code') }));
    await expect(png('https://example.com/not-a-secret').then(read)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('not for one-time codes') });
  });
});
