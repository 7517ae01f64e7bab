/** Launch Debian Chromium through playwright-core with the flags this machine needs. */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from '../require-tool.ts';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * After opening a document: answer the "discard unsaved changes?" dialog if and
 * when it comes up (under load it can appear after a first look found none), and
 * resolve once `opened` says the document is in. Polls for up to `timeoutMs`.
 */
export async function answerDiscardUntil(page: Page, opened: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const confirm = page.getByTestId('confirm-ok');
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await confirm.isVisible().catch(() => false)) await confirm.click().catch(() => undefined);
    if (await opened().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`the document did not open within ${timeoutMs} ms`);
    await page.waitForTimeout(100);
  }
}
