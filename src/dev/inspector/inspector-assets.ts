// The inspector page's static files (HTML, CSS, one script), found beside this module under tsx and in the built package.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** The assets folder: `src/dev/inspector/assets/` under tsx, `dist/dev/inspector/assets/` once built (copied by `npm run build`). */
export const ASSETS_DIR = fileURLToPath(new URL("./assets/", import.meta.url));

/** The files served, by name, with their media type. */
export const ASSETS: Readonly<Record<string, string>> = {
  "index.html": "text/html; charset=utf-8",
  "inspector.css": "text/css; charset=utf-8",
  "inspector.js": "text/javascript; charset=utf-8",
};

/**
 * The page may load its own script, style and data only: no inline script, nothing from
 * elsewhere, no framing.
 */
export const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Reads every asset once. @throws Error naming the missing file (a build without the copy step) */
export async function loadAssets(): Promise<Map<string, { readonly type: string; readonly body: Buffer }>> {
  const loaded = new Map<string, { type: string; body: Buffer }>();
  for (const [name, type] of Object.entries(ASSETS)) {
    try {
      loaded.set(name, { type, body: await readFile(`${ASSETS_DIR}${name}`) });
    } catch (error) {
      throw new Error(`inspector asset ${ASSETS_DIR}${name} is missing (npm run build copies the assets)`, { cause: error });
    }
  }
  return loaded;
}
