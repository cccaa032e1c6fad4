import course from './course-openapi.json' with { type: 'json' };

/**
 * What `GET /openapi.json` serves: the course document unchanged (docs/course-openapi-3.4.7.yaml),
 * plus the paths this server adds beside it. Nothing of the course's is altered.
 */
export const ADDED_PATHS = {
  '/openapi.json': {
    get: {
      summary: 'This document (added by this registry)',
      operationId: 'OpenApiDocument',
      responses: { '200': { description: 'The course document plus the paths this registry adds.', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
  '/artifacts/{artifact_type}/{id}/download': {
    get: {
      summary: 'Download the stored files of an artifact (added by this registry: the download_url of every Artifact)',
      description:
        "Records the download in the artifact's audit trail, then redirects to a short-lived presigned URL of a zip of the artifact's stored files. Needs the DOWNLOAD permission.",
      operationId: 'ArtifactDownload',
      parameters: [
        { name: 'artifact_type', in: 'path', required: true, schema: { $ref: '#/components/schemas/ArtifactType' } },
        { name: 'id', in: 'path', required: true, schema: { $ref: '#/components/schemas/ArtifactID' } },
        { name: 'X-Authorization', in: 'header', required: true, schema: { $ref: '#/components/schemas/AuthenticationToken' } },
      ],
      responses: {
        '302': { description: 'Redirect to the presigned download URL.', headers: { location: { schema: { type: 'string', format: 'uri' } } } },
        '400': { description: 'Malformed artifact_type or id.' },
        '403': { description: 'Authentication failed, or the DOWNLOAD permission is missing.' },
        '404': { description: 'No such artifact, or it has no stored files.' },
      },
    },
  },
} as const;

type Document = typeof course & { paths: typeof course.paths & typeof ADDED_PATHS };

let served: Document | undefined;

export function servedOpenApiDocument(): Document {
  served ??= { ...course, paths: { ...course.paths, ...ADDED_PATHS } };
  return served;
}

/** The course document exactly as published, for validating this server's answers against it. */
export const courseOpenApiDocument = (): typeof course => course;
