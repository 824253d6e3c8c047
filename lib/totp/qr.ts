// Reading a one-time-code QR code from an image the person drops or pastes: its pixels through a
// canvas (OffscreenCanvas where there is one) into jsQR, a maintained decoder. Loaded on demand.
import jsQR from 'jsqr';
import { AppError } from '../errors';
import { t } from '../i18n';

/** Large screenshots are scaled down first: a QR code needs far fewer pixels, and jsQR's time grows with them. */
const MAX_SIDE = 1600;
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

function notFound(): AppError {
  return new AppError('BAD_INPUT', t('totpErrorNoQr'));
}

function pixels(bitmap: ImageBitmap): ImageData {
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(w, h) : Object.assign(document.createElement('canvas'), { width: w, height: h });
  const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
  if (!ctx) throw notFound();
  ctx.drawImage(bitmap, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

/** The text of the QR code in the image: an otpauth:// URI, or BAD_INPUT. */
export async function decodeQrImage(image: Blob): Promise<string> {
  if (!image.type.startsWith('image/')) throw new AppError('BAD_INPUT', t('totpErrorNotImage'));
  if (image.size > MAX_IMAGE_BYTES) throw new AppError('TOO_LARGE', t('totpErrorImageTooLarge'));
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(image);
  } catch {
    throw new AppError('BAD_INPUT', t('totpErrorImageUnreadable'));
  }
  const data = pixels(bitmap);
  bitmap.close();
  return decodeQrPixels(data.data, data.width, data.height);
}

/** The otpauth:// URI of the QR code in RGBA pixels, or BAD_INPUT. */
export function decodeQrPixels(rgba: Uint8ClampedArray, width: number, height: number): string {
  const code = jsQR(rgba, width, height, { inversionAttempts: 'attemptBoth' });
  if (!code?.data) throw notFound();
  if (!/^otpauth:\/\//i.test(code.data)) throw new AppError('BAD_INPUT', t('totpErrorQrNotOtp'));
  return code.data;
}
