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

/**
 * Rules run whatever their tags say. Label in Name (WCAG 2.5.3, `label-content-name-mismatch`) was
 * experimental, so off, up to axe-core 4.13: a release that moves it again must not drop it
 * silently. `aria-dialog-name` is best practice, outside the WCAG tags: the confirmation dialogs
 * are announced by their names.
 */
export const REQUIRED_RULES = ['label-content-name-mismatch', 'aria-dialog-name'] as const;

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
  /** Rules axe could not decide (it asks a human): listed in the summary, not failed on. */
  readonly incomplete: readonly string[];
}

/** Runs axe's WCAG 2.1 A/AA rules and REQUIRED_RULES on the page as it is now. */
export async function axe(page: Page, name: string): Promise<AxeSummary> {
  // `rules: { enabled: true }` runs a rule beside the tag selection (axe's ruleShouldRun checks it first).
  const rules = Object.fromEntries(REQUIRED_RULES.map((id) => [id, { enabled: true }]));
  const result = await new AxeBuilder({ page }).options({ runOnly: { type: 'tag', values: WCAG_TAGS }, rules }).analyze();
  // A rule that does not exist in this axe-core (renamed, removed) would otherwise pass unnoticed.
  const ran = new Set([...result.passes, ...result.violations, ...result.incomplete, ...result.inapplicable].map((r) => r.id));
  const missing = REQUIRED_RULES.filter((id) => !ran.has(id));
  if (missing.length > 0) throw new Error(`axe-core ${result.testEngine.version} did not run ${missing.join(', ')}`);
  return {
    page: name,
    violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: `${v.help}: ${v.nodes.map((n) => n.html.slice(0, 200)).join(', ')}` })),
    passes: result.passes.length,
    incomplete: result.incomplete.map((r) => r.id),
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
