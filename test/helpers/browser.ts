import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium (no browser download): CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const INSTALL_HINT = `chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (as root) or set CHROMIUM_PATH`;

/** True when the browser tests can run; under CI a missing browser is a failure, locally a visible skip. */
export function haveChromium(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(INSTALL_HINT);
  console.warn(`browser tests skipped: ${INSTALL_HINT}`);
  return false;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile, its background traffic off (so every request it makes is the page's). */
export async function launchBrowser(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Hosts of every request that is not data: or blob: (those never leave the page). */
export function hostsOf(urls: string[]): string[] {
  return [...new Set(urls.filter((u) => !/^(data|blob):/.test(u)).map((u) => new URL(u).hostname))];
}
