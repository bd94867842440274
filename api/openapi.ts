// Routes are declared once with their zod schemas; the same declaration validates requests and
// generates the OpenAPI 3.1 document served at /openapi.json.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { ApiError, assertStorableText, ErrorResponse, validationError } from './errors.ts';

/** Named schemas, emitted under components.schemas and referenced by $ref. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

const namedIds = new Set<string>();

export function named<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  apiSchemas.add(schema, description ? { id, description } : { id });
  namedIds.add(id);
  return schema;
}

named('ErrorResponse', ErrorResponse, 'Every refusal: a stable code, what went wrong in words, and the request id to quote');

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodType;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

export interface RouteSpec<P extends z.ZodObject = z.ZodObject, Q extends z.ZodObject = z.ZodObject> {
  readonly method: Method;
  /** Express path syntax (`/v1/claims/:id`). */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** Roles allowed; omitted for public routes. */
  readonly roles?: readonly string[];
  readonly params?: P;
  readonly query?: Q;
  readonly headers?: readonly { name: string; description: string; required?: boolean; schema: z.ZodType }[];
  readonly body?: { readonly required: boolean; readonly content: Record<string, z.ZodType> };
  readonly responses: Record<number, ResponseSpec>;
}

export interface Validated<P, Q> {
  params: P;
  query: Q;
}

const authResponses: Record<number, ResponseSpec> = {
  401: { description: 'Missing or invalid API key', schema: ErrorResponse },
  403: { description: 'The role may not do this', schema: ErrorResponse },
};

/** What the shared middleware answers for any route of this shape (parameters, a body). */
function commonResponses(route: RouteSpec): Record<number, ResponseSpec> {
  const responses: Record<number, ResponseSpec> = {};
  if (route.params) {
    responses[404] = { description: 'Nothing with this id that you can see', schema: ErrorResponse };
    responses[422] = { description: 'A path parameter is malformed, or holds text the record cannot keep', schema: ErrorResponse };
  }
  if (route.query) responses[422] = { description: 'A query parameter is malformed', schema: ErrorResponse };
  if (route.body || route.method === 'post') {
    responses[400] = {
      description: 'A body that cannot be read: malformed JSON or multipart, or not what its Content-Encoding says',
      schema: ErrorResponse,
    };
    responses[413] = { description: 'The body is larger than allowed', schema: ErrorResponse };
    responses[415] = { description: 'A content type or Content-Encoding this route does not take', schema: ErrorResponse };
    responses[422] ??= {
      description: 'The body is valid JSON but not a valid request; the message names the field',
      schema: ErrorResponse,
    };
  }
  return responses;
}

export class ApiDescription {
  readonly routes: RouteSpec[] = [];
  private readonly info: { title: string; version: string; description: string };
  constructor(info: { title: string; version: string; description: string }) {
    this.info = info;
  }

  /**
   * Records the route and returns a middleware that validates its path and query parameters
   * (bodies are validated by their handlers, which know whether they arrived as JSON or multipart).
   */
  route<P extends z.ZodObject, Q extends z.ZodObject>(spec: RouteSpec<P, Q>): RequestHandler {
    this.routes.push(spec);
    return (req: Request, res: Response, next: NextFunction) => {
      try {
        assertStorableText(req.params, 'path');
        assertStorableText(req.query, 'query');
      } catch (error) {
        return next(error);
      }
      const params = spec.params ? spec.params.safeParse(req.params) : undefined;
      if (params && !params.success) return next(validationError(params.error, 'path'));
      const query = spec.query ? spec.query.safeParse(req.query) : undefined;
      if (query && !query.success) return next(validationError(query.error, 'query'));
      res.locals.validated = { params: params?.data ?? {}, query: query?.data ?? {} };
      next();
    };
  }

  document(serverUrl?: string): Record<string, unknown> {
    const { schemas } = z.toJSONSchema(apiSchemas, {
      target: 'draft-2020-12',
      io: 'output',
      unrepresentable: 'any',
      uri: (id) => `#/components/schemas/${id}`,
    });
    for (const schema of Object.values(schemas)) {
      delete (schema as Record<string, unknown>).$schema;
      delete (schema as Record<string, unknown>).$id;
    }
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const openApiPath = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
      const parameters = [
        ...objectParameters(route.params, 'path'),
        ...objectParameters(route.query, 'query'),
        ...(route.headers ?? []).map((h) => ({
          name: h.name,
          in: 'header',
          required: h.required ?? false,
          description: h.description,
          schema: inlineSchema(h.schema, 'input'),
        })),
      ];
      const responses: Record<string, unknown> = {};
      // Every route behind a role answers these the same way (api/auth.ts); a route may say more of its 403.
      // So does every route with path or query parameters, or a body, whatever else it says.
      const declared = { ...(route.roles ? authResponses : {}), ...commonResponses(route), ...route.responses };
      for (const [status, response] of Object.entries(declared)) {
        responses[status] = {
          description: response.description,
          ...(response.headers
            ? {
                headers: Object.fromEntries(
                  Object.entries(response.headers).map(([n, d]) => [n, { description: d, schema: { type: 'string' } }]),
                ),
              }
            : {}),
          ...(response.schema
            ? { content: { [response.contentType ?? 'application/json']: { schema: reference(response.schema, 'output') } } }
            : {}),
        };
      }
      (paths[openApiPath] ??= {})[route.method] = {
        operationId: route.operationId,
        summary: route.summary,
        ...(route.description ? { description: route.description } : {}),
        tags: route.tags,
        ...(route.roles ? { security: [{ apiKey: [] }], 'x-roles': route.roles } : { security: [] }),
        ...(parameters.length ? { parameters } : {}),
        ...(route.body
          ? {
              requestBody: {
                required: route.body.required,
                content: Object.fromEntries(
                  Object.entries(route.body.content).map(([type, schema]) => [type, { schema: reference(schema, 'input') }]),
                ),
              },
            }
          : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info: this.info,
      ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
      security: [{ apiKey: [] }],
      paths,
      components: {
        schemas,
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key with a role: claimant, adjuster, underwriter or admin' },
        },
      },
    };
  }
}

function reference(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const meta = apiSchemas.get(schema);
  return meta ? { $ref: `#/components/schemas/${meta.id}` } : inlineSchema(schema, io);
}

/**
 * A schema written out where it is used. Named schemas inside it become references to the components, not
 * `#/$defs/...`, which would point into the document's root, where there are none.
 */
function inlineSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', metadata: apiSchemas }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  const defs = json.$defs as Record<string, unknown> | undefined;
  if (!defs) return json;
  delete json.$defs;
  const unnamed = Object.keys(defs).filter((id) => !namedIds.has(id));
  if (unnamed.length > 0) throw new Error(`Schemas ${unnamed.join(', ')} are reused or recursive inline; name them (named()).`);
  return JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
}

function objectParameters(schema: z.ZodObject | undefined, location: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => {
    const fieldSchema = field as z.ZodType;
    const json = inlineSchema(fieldSchema, 'input');
    return {
      name,
      in: location,
      required: location === 'path' || !fieldSchema.safeParse(undefined).success,
      ...(typeof json.description === 'string' ? { description: json.description } : {}),
      schema: json,
    };
  });
}

export function validated<P, Q>(res: Response): Validated<P, Q> {
  const value = res.locals.validated as Validated<P, Q> | undefined;
  if (!value) throw new ApiError(500, 'INTERNAL', 'Route was not validated');
  return value;
}
