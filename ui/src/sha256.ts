/** Hex SHA-256 of a file, computed in the browser (the registry verifies it after the upload). */
export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * PUTs the bytes to a presigned URL with the headers the registry asked for, reporting progress.
 * XMLHttpRequest because fetch has no upload progress.
 */
export function putWithProgress(url: string, headers: readonly { name: string; value: string }[], body: Blob, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    // The browser sets Content-Length itself (scripts may not); it is the file's size, as signed.
    for (const header of headers) if (header.name.toLowerCase() !== 'content-length') xhr.setRequestHeader(header.name, header.value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`storage answered HTTP ${xhr.status}`)));
    xhr.onerror = () => reject(new Error('the upload could not reach storage'));
    xhr.send(body);
  });
}
