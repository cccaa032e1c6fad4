/** The part of graphql-schema-linter (CommonJS, untyped) that test/unit/schema-lint.test.ts drives: its CLI runner. */
declare module 'graphql-schema-linter' {
  import type { Readable } from 'node:stream';

  interface TextSink {
    write(text: string): boolean;
  }

  const linter: {
    readonly runner: {
      /** The CLI itself: argv as process.argv has it, config from the nearest .graphql-schema-linterrc or package.json; resolves to the exit code. */
      run(stdout: TextSink, stdin: Readable, stderr: TextSink, argv: readonly string[]): Promise<number>;
    };
  };
  export = linter;
}
