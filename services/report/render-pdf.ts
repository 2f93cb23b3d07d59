import fs from 'node:fs';
import type { Browser, BrowserType } from 'playwright-core';

/** Flags for Chromium in a container: no sandbox, no GPU, no network chatter. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--enable-unsafe-swiftshader',
];

export class PdfUnavailable extends Error {}

export function chromiumPath(): string {
  return process.env.AVLOG_CHROMIUM ?? '/usr/bin/chromium';
}

/**
 * Prints report HTML to PDF with Chromium (playwright-core, Debian's `/usr/bin/chromium` or `$AVLOG_CHROMIUM`).
 * One browser is launched on first use and reused until `close()`; every request the page would make is refused,
 * so a report cannot reach the network even if its HTML asked to.
 */
export class PdfPrinter {
  private browser: Promise<Browser> | null = null;

  private async launch(): Promise<Browser> {
    const exe = chromiumPath();
    if (!fs.existsSync(exe))
      throw new PdfUnavailable(
        `PDF output needs Chromium: not found at ${exe} (install Debian's chromium or set AVLOG_CHROMIUM)`,
      );
    let chromium: BrowserType;
    try {
      ({ chromium } = await import('playwright-core'));
    } catch (e) {
      throw new PdfUnavailable(`PDF output needs the playwright-core package (${(e as Error).message})`);
    }
    return chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS });
  }

  async print(html: string, o: { footer?: string } = {}): Promise<Buffer> {
    this.browser ??= this.launch();
    let browser: Browser;
    try {
      browser = await this.browser;
    } catch (e) {
      this.browser = null;
      throw e;
    }
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.route('**/*', (route) =>
        route.request().url().startsWith('data:') ? route.continue() : route.abort(),
      );
      await page.setContent(html, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      const footer = (o.footer ?? '').replace(/[<>&]/gu, '');
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: `<div style="font-size:7px;width:100%;padding:0 11mm;color:#6b7280;display:flex;justify-content:space-between"><span>${footer}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
        margin: { top: '14mm', bottom: '16mm', left: '11mm', right: '11mm' },
      });
    } finally {
      await context.close();
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = null;
    if (b) await (await b.catch(() => null))?.close();
  }
}

/** Prints once with a browser of its own (the CLI). */
export async function renderPdf(html: string, o: { footer?: string } = {}): Promise<Buffer> {
  const printer = new PdfPrinter();
  try {
    return await printer.print(html, o);
  } finally {
    await printer.close();
  }
}
