import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, load } from 'js-yaml';
import { OpenAPIBackend, SetMatchType, type Document, type Operation } from 'openapi-backend';
import addFormats from 'ajv-formats';
import { ADDED_PATHS } from '../../src/rest/openapi-document.js';

/** The course document as published (docs/course-openapi-3.4.7.yaml), parsed here from the YAML itself. */
export function courseDocument(): Record<string, unknown> & { paths: Record<string, unknown> } {
  return load(readFileSync(new URL('../../docs/course-openapi-3.4.7.yaml', import.meta.url), 'utf8'), { schema: CORE_SCHEMA }) as Record<string, unknown> & { paths: Record<string, unknown> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export interface RestResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  readonly body: T;
}

/**
 * Every REST answer a test receives is checked against the course document (plus the paths this
 * registry adds) by openapi-backend's validator (Ajv, with formats): the path and method must be
 * in the document, the status among the operation's responses, the body valid against its schema
 * and the headers against the declared ones. A non-conforming answer throws, failing the test.
 */
export class ContractValidator {
  private constructor(private readonly api: OpenAPIBackend) {}

  static async load(): Promise<ContractValidator> {
    const document = courseDocument();
    const paths = { ...document.paths, ...structuredClone(ADDED_PATHS) } as Record<string, Record<string, { operationId?: string }>>;
    // The validator keys its compiled schemas by operationId; the course left two operations
    // unnamed (GET /tracks, GET .../cost). Naming them changes no schema.
    for (const [path, item] of Object.entries(paths)) {
      for (const method of METHODS) if (item[method] && !item[method].operationId) item[method].operationId = `${method.toUpperCase()} ${path}`;
    }
    const api = new OpenAPIBackend({
      definition: { ...document, paths } as unknown as Document,
      // `quick` skips openapi-backend's check of the document itself, which the course document
      // fails (descriptions beside $ref, a required `node` no property defines): answers are what
      // is validated here. `strict` makes any other problem with the document throw.
      quick: true,
      strict: true,
      validate: true,
      customizeAjv: (ajv) => {
        addFormats.default(ajv);
        return ajv;
      },
    });
    await api.init();
    return new ContractValidator(api);
  }

  /** What is wrong with this answer to `method path` (empty when it conforms). */
  problems(method: string, path: string, response: RestResponse): string[] {
    const operation = this.api.router.matchOperation({ method, path: path.split('?')[0]!, headers: {} }) as Operation | undefined;
    if (!operation) return [`${method} ${path} is not an operation of the document`];
    const documented = Object.keys(operation.responses ?? {});
    if (!documented.includes(String(response.status)) && !documented.includes('default')) {
      return [`${method} ${path} answered ${response.status}, which the document does not list (${documented.join(', ')})`];
    }
    const problems: string[] = [];
    const declared = (operation.responses?.[String(response.status)] ?? {}) as { content?: Record<string, unknown> };
    if (declared.content?.['application/json']) {
      if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) problems.push(`content-type is ${response.headers.get('content-type')}, not application/json`);
      const body = this.api.validator.validateResponse(response.body, operation, response.status);
      for (const error of body.errors ?? []) problems.push(`body${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
    }
    const headers = Object.fromEntries(response.headers.entries());
    // Headers the document declares are optional unless `required` (OpenAPI 3.0); those sent must fit.
    const checked = this.api.validator.validateResponseHeaders(headers, operation, { statusCode: response.status, setMatchType: SetMatchType.Any });
    for (const error of checked.errors ?? []) problems.push(`headers${error.instancePath} ${error.message ?? ''}`);
    return problems;
  }
}

export interface RestCall {
  readonly token?: string | undefined;
  readonly body?: unknown;
  /** Sent as is, instead of `body` as JSON. */
  readonly rawBody?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type RestClient = <T = unknown>(method: string, path: string, call?: RestCall) => Promise<RestResponse<T>>;

/** A client of the REST API at `origin` that validates every answer (redirects are answers, not followed). */
export function restClient(origin: string, validator: ContractValidator): RestClient {
  return async <T>(method: string, path: string, call: RestCall = {}) => {
    const body = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
    const response = await fetch(`${origin}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(call.token !== undefined && { 'x-authorization': call.token }),
        ...call.headers,
      },
      ...(body !== undefined && { body }),
    });
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').startsWith('application/json');
    const answer: RestResponse<T> = { status: response.status, headers: response.headers, body: (json && text !== '' ? JSON.parse(text) : text) as T };
    const problems = validator.problems(method, path, answer);
    if (problems.length > 0) throw new Error(`${method} ${path} -> ${response.status} does not conform to the OpenAPI document:\n  ${problems.join('\n  ')}\n  body: ${text.slice(0, 500)}`);
    return answer;
  };
}
