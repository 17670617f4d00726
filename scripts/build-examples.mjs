// Builds the framework examples in demo/frameworks/ into each one's build/main.js: Svelte with its
// compiler, Vue single-file components with @vue/compiler-sfc, React's JSX with esbuild, Angular
// with its own compiler (ngc, strictTemplates) and then esbuild.
// The examples import 'wink-widget' by name, as an app would; esbuild resolves it to this package.
import { compileScript, parse } from '@vue/compiler-sfc';
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'svelte/compiler';

const frameworks = new URL('../demo/frameworks/', import.meta.url);

const sveltePlugin = {
  name: 'svelte',
  setup(builder) {
    builder.onLoad({ filter: /\.svelte$/ }, async ({ path }) => {
      const { js, warnings } = compile(await readFile(path, 'utf8'), { filename: path, generate: 'client' });
      return { contents: js.code, loader: 'js', warnings: warnings.map((warning) => ({ text: warning.message })) };
    });
  },
};

const vuePlugin = {
  name: 'vue',
  setup(builder) {
    builder.onLoad({ filter: /\.vue$/ }, async ({ path }) => {
      const { descriptor, errors } = parse(await readFile(path, 'utf8'), { filename: path });
      if (errors.length) return { errors: errors.map((error) => ({ text: String(error.message ?? error) })) };
      const script = compileScript(descriptor, {
        id: basename(path),
        inlineTemplate: true,
        // <wink-widget> is a custom element, not a Vue component to resolve.
        templateOptions: { compilerOptions: { isCustomElement: (tag) => tag === 'wink-widget' } },
      });
      return { contents: script.content, loader: 'ts' };
    });
  },
};

/** ngc, Angular's compiler, with the example's strictTemplates; it fails on any template type error. */
async function compileAngular() {
  const ngc = fileURLToPath(new URL('../node_modules/@angular/compiler-cli/bundles/src/bin/ngc.js', import.meta.url));
  const project = fileURLToPath(new URL('angular/tsconfig.json', frameworks));
  try {
    await promisify(execFile)(process.execPath, [ngc, '-p', project]);
  } catch (error) {
    throw new Error(`ngc failed:\n${error.stdout}${error.stderr}`, { cause: error });
  }
}

export async function buildExamples() {
  await compileAngular();
  const entries = { vue: 'main.ts', react: 'main.tsx', svelte: 'main.ts', angular: 'build/ngc/angular/main.js' };
  await Promise.all(
    Object.entries(entries).map(([framework, entry]) =>
      build({
        entryPoints: [fileURLToPath(new URL(`${framework}/${entry}`, frameworks))],
        outfile: fileURLToPath(new URL(`${framework}/build/main.js`, frameworks)),
        bundle: true,
        format: 'esm',
        target: 'es2022',
        jsx: 'automatic',
        conditions: ['browser'],
        minify: true,
        logLevel: 'warning',
        plugins: [sveltePlugin, vuePlugin],
        define: {
          'process.env.NODE_ENV': '"production"',
          __VUE_OPTIONS_API__: 'false',
          __VUE_PROD_DEVTOOLS__: 'false',
          __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
        },
      }),
    ),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildExamples();
