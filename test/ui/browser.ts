import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadUiAssets, uiHandler, type UiHandler } from '../../src/server/ui-assets.js';

/**
 * Debian's Chromium (`apt-get install chromium`; .ci/run installs it), driven by playwright-core:
 * no browser download. CHROMIUM_PATH overrides the location.
 */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export const SCREENSHOTS = path.resolve('test-results/ui');

/** The WCAG 2.1 A and AA rules of axe-core. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export async function launchChromium(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('no Chromium: apt-get install -y chromium, or set CHROMIUM_PATH');
  // Root in CI cannot use Chromium's user-namespace sandbox.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** The UI as `npm start` serves it; built first when ui/dist is missing or stale. */
export async function builtUi(): Promise<UiHandler> {
  execFileSync(path.resolve('node_modules/.bin/tsx'), ['scripts/build-ui.ts', '--if-stale'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const assets = await loadUiAssets();
  if (!assets) throw new Error('ui/dist has no build after scripts/build-ui.ts');
  return uiHandler(assets);
}

export interface AxeSummary {
  readonly page: string;
  readonly violations: readonly { id: string; impact: string | null | undefined; nodes: number; help: string }[];
  readonly passes: number;
}

/** Runs axe's WCAG 2.1 A/AA rules on the page as it is now. */
export async function axe(page: Page, name: string): Promise<AxeSummary> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return {
    page: name,
    violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: `${v.help}: ${v.nodes.map((n) => n.html.slice(0, 200)).join(', ')}` })),
    passes: result.passes.length,
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
