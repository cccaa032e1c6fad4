import { describe, expect, it } from 'vitest';
import { matchGlob, parseGlob } from '../../src/domain/glob.js';

const matches = (pattern: string, path: string) => {
  const glob = parseGlob(pattern);
  if (!glob.ok) throw new Error(glob.error.message);
  return matchGlob(glob.value, path);
};

describe('globs', () => {
  it.each([
    ['*.json', 'config.json', true],
    ['*.json', 'sub/config.json', false],
    ['**/*.json', 'config.json', true],
    ['**/*.json', 'a/b/config.json', true],
    ['**', 'a/b/c', true],
    ['onnx/*', 'onnx/model.onnx', true],
    ['onnx/*', 'onnx/sub/model.onnx', false],
    ['onnx/**', 'onnx/sub/model.onnx', true],
    ['model-?.bin', 'model-1.bin', true],
    ['model-?.bin', 'model-12.bin', false],
    ['README.md', 'README.md', true],
    ['README.md', 'readme.md', false],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['*.safetensors', 'model.safetensors', true],
  ])('%s vs %s is %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it('stays fast on patterns that make backtracking matchers explode', () => {
    const started = performance.now();
    expect(matches('*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(250))).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses empty and over-long patterns', () => {
    expect(parseGlob('').ok).toBe(false);
    expect(parseGlob('x'.repeat(201)).ok).toBe(false);
  });
});
