/**
 * Sizes of the values that end up inside DynamoDB keys. DynamoDB refuses a partition key over
 * 2,048 bytes and a sort key over 1,024 bytes (GSI keys alike) with a ValidationException, which
 * would surface as a 500; these caps turn such input into BAD_USER_INPUT first. They follow from
 * the key layout, not from taste, so they are not configurable.
 *
 * Where each value lands (ARCHITECTURE.md, "Table layout"):
 * - the URL key: `pk` of the URL claim and `gsi1pk` of the projection (`$registry-e<N>#url…_<key>`);
 * - the normalized name: `gsi2pk` (`$registry-e<N>#normalizedname_<name>`);
 * - the exact name: `gsi2sk` (`$artifactprojection_1#name_<name>#artifactid_<ulid>`, ~60 bytes
 *   around the name). 256 UTF-16 units are at most 768 UTF-8 bytes, so the name fits by its length cap.
 */
export interface KeyLimits {
  /** Characters of a URL as the client sent it, checked before parsing (cheap guard). */
  readonly maxUrlInputChars: number;
  /** UTF-8 bytes of the canonical, percent-encoded URL: leaves 512 bytes of the 2,048 for key prefixes. */
  readonly maxUrlKeyBytes: number;
  /** UTF-16 units of a name as stored (and as sorted in `gsi2sk`). */
  readonly maxNameChars: number;
  /** UTF-8 bytes of a normalized name: NFKC can expand one character up to 18 (U+FDFA). */
  readonly maxNormalizedNameBytes: number;
}

export const DEFAULT_KEY_LIMITS: KeyLimits = {
  maxUrlInputChars: 2048,
  maxUrlKeyBytes: 1536,
  maxNameChars: 256,
  maxNormalizedNameBytes: 1024,
};

export const utf8Bytes = (value: string): number => Buffer.byteLength(value, 'utf8');
