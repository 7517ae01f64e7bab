/** Launch Debian Chromium through playwright-core with the flags this machine needs. */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM } from '../require-tool.ts';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}
