/**
 * Headless Chromium through playwright-core, for PNG files. Uses the system's browser
 * (Debian's `chromium` package); nothing is downloaded.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { importPeer } from '../../peers.js';
import { HypertunerError } from '../../space/index.js';

export const CHROMIUM_PATH = process.env.HYPERTUNER_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium, or explains how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new HypertunerError(
      'CHROMIUM_MISSING',
      `PNG output needs Chromium at ${CHROMIUM_PATH} (set HYPERTUNER_CHROMIUM to use another): run \`apt-get install chromium\` (Debian/Ubuntu), or write .svg or .html instead.`,
      { field: 'out' },
    );
  }
  // PEER_MISSING when playwright-core is not installed (.svg and .html need nothing more)
  const { chromium } = await importPeer('playwright-core', () => import('playwright-core'));
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
