// A tiny GraphQL-over-HTTP client for tests and scripts: throws on GraphQL errors, keeping their extensions.code.
export class GraphqlRequestError extends Error {
  constructor(
    message: string,
    readonly codes: string[],
  ) {
    super(message);
  }
}

export interface GraphqlClient {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  withSession(sessionToken: string): GraphqlClient;
}

interface GraphqlResponse<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export function graphqlClient(endpoint: string, sessionToken?: string): GraphqlClient {
  return {
    async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(sessionToken ? { authorization: `Bearer ${sessionToken}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GraphqlResponse<T>;
      if (body.errors?.length) {
        throw new GraphqlRequestError(
          body.errors.map((error) => error.message).join('; '),
          body.errors.map((error) => error.extensions?.code ?? 'UNKNOWN'),
        );
      }
      if (!body.data) throw new GraphqlRequestError(`GraphQL answered HTTP ${response.status} without data`, []);
      return body.data;
    },
    withSession: (token) => graphqlClient(endpoint, token),
  };
}

/** Polls until `check` returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
