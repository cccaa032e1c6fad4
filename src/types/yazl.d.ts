/** The part of yazl (https://github.com/thejoshwolfe/yazl) the package archive uses; it ships no types. */
declare module 'yazl' {
  import type { Readable } from 'node:stream';

  export interface EntryOptions {
    mtime?: Date;
    mode?: number;
    compress?: boolean;
    forceZip64Format?: boolean;
    /** Declared size: yazl fails the archive if the stream's length differs. */
    size?: number;
  }

  export class ZipFile {
    readonly outputStream: Readable;
    addReadStreamLazy(metadataPath: string, options: EntryOptions, getReadStream: (callback: (error: Error | null, stream?: Readable) => void) => void): void;
    end(options?: { forceZip64Format?: boolean }): void;
    on(event: 'error', listener: (error: Error) => void): this;
  }
}
