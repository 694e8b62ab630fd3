// CI drift check: the committed schema/schema.graphql must be exactly what the resolvers emit (`npm run schema:emit`).
import { readFileSync } from 'node:fs';
import { printGraphqlSchema } from '../src';
import { SCHEMA_FILE } from '../src/graphql/emit-schema';

it('schema/schema.graphql matches the emitted schema (run `npm run schema:emit` after changing resolvers)', async () => {
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printGraphqlSchema());
});
