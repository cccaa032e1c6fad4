// @ts-check
/**
 * osls plugin (listed in serverless.yml): bundles the Lambda handlers with esbuild before osls zips
 * it, so `osls package` and `osls deploy` always ship a bundle built from the current source. The
 * build itself is TypeScript (infra/build-lambda.ts), loaded through tsx; this file only wires it
 * into osls's lifecycle, which loads plugins as plain JavaScript.
 */
import { tsImport } from 'tsx/esm/api';

export default class BuildLambdaPlugin {
  /** @param {{ cli: { log: (message: string) => void } }} serverless */
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      // `osls package`, and `osls deploy` (which packages first unless given --package).
      'before:package:createDeploymentArtifacts': () => this.build(),
      // `osls deploy function -f api`.
      'before:deploy:function:packageFunction': () => this.build(),
    };
  }

  async build() {
    /** @type {typeof import('./build-lambda.ts')} */
    const { buildLambda } = await tsImport('./build-lambda.ts', import.meta.url);
    const built = await buildLambda();
    console.log(`esbuild: ${built.bundlePath} ${(built.bytes / 1_000_000).toFixed(2)} MB, ${built.projector.bundlePath} ${(built.projector.bytes / 1_000_000).toFixed(2)} MB`);
  }
}
