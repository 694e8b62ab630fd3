import { GraphQLError, buildSchema, parse, specifiedRules, validate } from 'graphql';
import { depthLimit } from '../src/graphql/depth-limit';
import { createErrorFormatter } from '../src/graphql/errors';

describe('depth limit', () => {
  const schema = buildSchema('type Node { id: ID! child: Node } type Query { node: Node }');
  const rules = [...specifiedRules, depthLimit(3)];

  it('accepts a query at the limit and refuses one past it, also through fragments', () => {
    expect(validate(schema, parse('{ node { child { id } } }'), rules)).toHaveLength(0);
    expect(validate(schema, parse('{ node { child { child { id } } } }'), rules)[0]?.message).toMatch(/limit is 3/);
    const viaFragment = parse('{ node { ...F } } fragment F on Node { child { child { id } } }');
    expect(validate(schema, viaFragment, rules)[0]?.message).toMatch(/limit is 3/);
  });
});

describe('error formatter', () => {
  const logged: unknown[] = [];
  const format = createErrorFormatter((error) => logged.push(error));

  it('masks unknown errors and keeps typed ones', () => {
    const secret = new Error('connect ECONNREFUSED postgres://admin:hunter2@db');
    const wrapped = new GraphQLError(secret.message, { path: ['me'], originalError: secret });
    const masked = format({ message: secret.message, path: ['me'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'] } }, wrapped);
    expect(masked).toEqual({ message: 'Internal server error', path: ['me'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logged).toContain(secret);
    const typed = format({ message: 'token not found', extensions: { code: 'NOT_FOUND' } }, new GraphQLError('token not found', { extensions: { code: 'NOT_FOUND' } }));
    expect(typed).toEqual({ message: 'token not found', extensions: { code: 'NOT_FOUND' } });
  });
});
