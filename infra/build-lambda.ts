/**
 * Bundles each Lambda handler into one ES module, dist/lambda/handler.mjs (the API) and
 * dist/lambda/projector.mjs (the stream projector): everything but the AWS
 * SDK, which the Lambda Node.js runtime provides (and which a bundle would pin to our version for
 * ~1 MB more). Run by the osls build plugin before `osls package` / `osls deploy`, and by
 * bench/coldstart.ts. `tsx infra/build-lambda.ts` builds and prints the size.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build, type Metafile, type Plugin } from 'esbuild';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LAMBDA_ENTRY = 'src/lambda/handler.ts';
export const LAMBDA_OUTDIR = 'dist/lambda';
export const LAMBDA_BUNDLE = `${LAMBDA_OUTDIR}/handler.mjs`;
export const PROJECTOR_ENTRY = 'src/lambda/projector.ts';
export const PROJECTOR_BUNDLE = `${LAMBDA_OUTDIR}/projector.mjs`;

/** Provided by the Lambda runtime. Only `@aws-sdk/*`: the runtime does not expose `@smithy/*` to handlers. */
export const EXTERNAL_MODULES = ['@aws-sdk/*'] as const;

/**
 * Where the AWS SDK comes from. `runtime-require` (deployed): the Lambda runtime's copy, loaded
 * with require(), which reads each package's CommonJS build (one file) instead of its ES build
 * (a hundred files per client): about twice as fast to load. `runtime-import`: the runtime's copy
 * through ES imports (the build before). `bundled`: the SDK inside the bundle. bench:coldstart
 * measures all three.
 */
export type AwsSdkSource = 'runtime-require' | 'runtime-import' | 'bundled';

export interface BuildOptions {
  readonly awsSdk?: AwsSdkSource;
  /** Where dist/lambda/ goes; the repository by default. */
  readonly outRoot?: string;
}

/** Oldest Node the bundle must run on: the deploy runtime is newer, but tests and the bench load it on Node 20. */
const TARGET = 'node20';

export interface LambdaBuild {
  readonly bundlePath: string;
  readonly bytes: number;
  readonly metafile: Metafile;
  /** The stream projector's bundle, built with the same options. */
  readonly projector: { readonly bundlePath: string; readonly bytes: number };
}

export async function buildLambda(root: string = REPO_ROOT, options: BuildOptions = {}): Promise<LambdaBuild> {
  const api = await bundle(root, LAMBDA_ENTRY, LAMBDA_BUNDLE, options);
  const projector = await bundle(root, PROJECTOR_ENTRY, PROJECTOR_BUNDLE, options);
  return { ...api, projector: { bundlePath: projector.bundlePath, bytes: projector.bytes } };
}

async function bundle(root: string, entry: string, bundlePath: string, options: BuildOptions): Promise<Omit<LambdaBuild, 'projector'>> {
  const outRoot = options.outRoot ?? root;
  const outfile = path.join(outRoot, bundlePath);
  const awsSdk = options.awsSdk ?? 'runtime-require';
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: TARGET,
    ...(awsSdk === 'runtime-import' && { external: [...EXTERNAL_MODULES] }),
    // ES builds first, so esbuild can drop what is never used (graphqlAsEsModules below keeps one graphql copy).
    mainFields: ['module', 'main'],
    minify: true,
    // Class and function names survive minification so stack traces in CloudWatch stay readable.
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [zodEnglishOnly, graphqlAsEsModules, unusedInLambda, ...(awsSdk === 'runtime-require' ? [awsSdkByRequire] : [])],
    // CommonJS dependencies call require() for Node built-ins; an ES module bundle has no require.
    banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
  });
  const output = result.metafile.outputs[path.relative(root, outfile).split(path.sep).join('/')];
  if (!output) throw new Error(`esbuild did not report ${bundlePath}`);
  for (const input of Object.keys(output.inputs)) {
    if (FORBIDDEN_IN_BUNDLE.test(input)) throw new Error(`${input} must not be in the Lambda bundle (see src/lambda/lambda-app.ts)`);
  }
  return { bundlePath: outfile, bytes: output.bytes, metafile: result.metafile };
}

/** The embedded emulators and the offline GraphiQL (~9 MB) are for `npm start`, never for Lambda. */
const FORBIDDEN_IN_BUNDLE = /node_modules\/(dynalite|s3rver|@graphql-yoga\/render-graphiql|classic-level|leveldown)\/|src\/server\/(embedded-storage|bootstrap)\.ts$/;

/**
 * Every `@aws-sdk/*` import, static or dynamic, becomes a module of the bundle whose body is
 * `module.exports = require(...)` of the external package: the runtime's copy, read through its
 * CommonJS build. esbuild evaluates such a module when it is first imported, so a dynamic
 * `import('@aws-sdk/client-s3')` still loads S3 only when a request needs it.
 */
const awsSdkByRequire: Plugin = {
  name: 'aws-sdk-by-require',
  setup(builder) {
    builder.onResolve({ filter: /^@aws-sdk\// }, (args) =>
      args.kind === 'require-call' ? { path: args.path, external: true } : { path: args.path, namespace: 'aws-sdk-by-require' },
    );
    builder.onLoad({ filter: /.*/, namespace: 'aws-sdk-by-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * graphql has no "exports" map: `graphql` resolves to its ES build (index.mjs) but a deep import
 * such as `graphql/language/parser` to a CommonJS file, and two copies break graphql's instanceof
 * checks at run time. Every graphql import goes to the ES build here, so there is one copy, and
 * esbuild drops the half of graphql the registry never calls (about 140 KB).
 */
const graphqlAsEsModules: Plugin = {
  name: 'graphql-as-es-modules',
  setup(builder) {
    builder.onResolve({ filter: /^graphql(?:\/.*)?$/ }, (args) => {
      const graphqlRoot = path.dirname(createRequire(path.join(args.resolveDir, 'index.js')).resolve('graphql/package.json'));
      const base = path.join(graphqlRoot, args.path === 'graphql' ? 'index' : args.path.slice('graphql/'.length).replace(/\.m?js$/, ''));
      return { path: existsSync(`${base}.mjs`) ? `${base}.mjs` : path.join(base, 'index.mjs') };
    });
  },
};

/**
 * Modules the Lambda never runs, replaced by stubs: yoga's landing page (landingPage: false), and
 * jsonschema, with which ElectroDB checks entity definitions as they are built. Ours are constant
 * and built by every test outside the bundle, where ElectroDB still checks them.
 */
const unusedInLambda: Plugin = {
  name: 'unused-in-lambda',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]graphql-yoga[\\/]esm[\\/]landing-page-html\.js$/ }, () => ({ contents: "export default '';", loader: 'js' }));
    builder.onResolve({ filter: /^jsonschema$/ }, () => ({ path: 'jsonschema', namespace: 'unused-in-lambda' }));
    builder.onLoad({ filter: /.*/, namespace: 'unused-in-lambda' }, () => ({
      contents: 'class Validator { addSchema() {} validate() { return { valid: true, errors: [] }; } }\nValidator.prototype.customFormats = {};\nmodule.exports = { Validator };',
      loader: 'js',
    }));
  },
};

/**
 * zod's `z` namespace re-exports all of its ~50 message locales (about 270 KB minified), and the
 * registry only uses English messages (the default). Loading just `en` cuts the bundle by a fifth.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildLambda();
  for (const { bundlePath, bytes } of [built, built.projector]) {
    console.log(`built ${path.relative(REPO_ROOT, bundlePath)}: ${bytes} bytes (${(bytes / 1_000_000).toFixed(2)} MB)`);
  }
}
