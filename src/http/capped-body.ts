/**
 * A body read as UTF-8 text, or `undefined` once it passes `limit` bytes: nothing more is read and
 * the stream is cancelled, so an oversized body costs at most `limit` bytes of memory. Shared by the
 * upstream client (responses from the Hub and GitHub) and the REST layer (request bodies).
 */
export async function cappedText(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string | undefined> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
