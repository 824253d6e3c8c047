import { startBackground } from '@/lib/background';
import { openWelcomeOnInstall } from '@/lib/background/welcome';

export default defineBackground(() => {
  openWelcomeOnInstall(browser);
  startBackground(browser);
});
