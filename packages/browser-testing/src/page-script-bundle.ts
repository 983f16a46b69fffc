import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

/**
 * The reports' page scripts are TypeScript modules under `src/page/` of each app; the HTML has to
 * stay one self-contained file, so each app's build bundles its page entry into one IIFE with
 * esbuild and writes it, as a string constant, into a generated module (`src/page-script.generated.ts`)
 * that the renderer imports. The generated module is committed, so that `vitest` and `tsc` (which
 * read `src`, not `dist`) and a fresh checkout find it without a build; each app's
 * `page-script.test.ts` bundles again and fails when the committed copy is stale.
 */
export interface PageScriptModule {
  /** The app's directory: paths in the bundle's comments are relative to it. */
  readonly root: string;
  /** The page's entry module, absolute. */
  readonly entry: string;
  /** The generated module, absolute. */
  readonly output: string;
  /** The exported constant's name. */
  readonly exportName: string;
}

/**
 * The layout both apps use: `<app>/src/page/main.ts` bundled into
 * `<app>/src/page-script.generated.ts`, exporting `exportName`.
 */
export function appPageScript(app: string, exportName: string): PageScriptModule {
  return {
    root: app,
    entry: join(app, 'src', 'page', 'main.ts'),
    output: join(app, 'src', 'page-script.generated.ts'),
    exportName,
  };
}

/** The page entry bundled with what it imports, as one IIFE for a `<script>` element. */
export async function bundlePageScript(root: string, entry: string): Promise<string> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    charset: 'ascii',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  if (file === undefined) throw new Error(`esbuild wrote nothing for ${entry}`);
  // esbuild escapes `</script` in strings; a bundle that still holds one would end the element.
  if (/<\/script/i.test(file.text)) throw new Error(`${entry}: the bundle contains "</script"`);
  return file.text;
}

/** A single-quoted JavaScript string literal of `text` (what Biome's formatter keeps as it is). */
function quoted(text: string): string {
  const escaped = text
    .replaceAll('\\', '\\\\')
    .replaceAll("'", "\\'")
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
  return `'${escaped}'`;
}

/** The generated module's text for `options`, from a fresh bundle. */
export async function pageScriptModuleText(options: PageScriptModule): Promise<string> {
  const code = await bundlePageScript(options.root, options.entry);
  const entry = relative(options.root, options.entry);
  return [
    '// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the bundle is code, kept in a string',
    `// Generated from ${entry} by the build (tsup.config.ts, with writePageScriptModule from`,
    '// @vmars/browser-testing): do not edit. page-script.test.ts fails when it is stale; rebuild',
    '// the app to write it again.',
    `export const ${options.exportName} =`,
    `  ${quoted(code)};`,
    '',
  ].join('\n');
}

/** Writes the generated module, when its text changed; returns whether it did. */
export async function writePageScriptModule(options: PageScriptModule): Promise<boolean> {
  const text = await pageScriptModuleText(options);
  const before = await readFile(options.output, 'utf8').catch(() => undefined);
  if (before === text) return false;
  await writeFile(options.output, text, 'utf8');
  return true;
}
