// Cursor pagination over (createdAt desc, id desc). Cursors are opaque base64url strings.
import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/core';
import { Field, ObjectType, type ClassType } from 'type-graphql';
import { z } from 'zod';
import { appError } from './errors';

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** Declares `<Name>Edge` and `<Name>Connection` GraphQL types for a node type. */
export function connectionType<T extends object>(name: string, nodeType: ClassType<T>): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}

const cursorSchema = z.tuple([z.number().int(), z.string().min(1).max(64)]);

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.getTime(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [time, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt: new Date(time), id };
  } catch {
    throw appError('BAD_USER_INPUT', 'after is not a valid cursor');
  }
}

export const MAX_PAGE_SIZE = 200;

interface Paginated {
  id: string;
  createdAt: Date;
}

export async function paginate<T extends Paginated>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  first: number,
  after: string | null | undefined,
): Promise<Connection<T>> {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw appError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  const conditions: unknown[] = [where];
  if (after) {
    const cursor = decodeCursor(after);
    conditions.push({ $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $lt: cursor.id } }] });
  }
  // FilterQuery cannot express "and of generic filters" without a cast; both parts are built from T's own fields.
  const filter = { $and: conditions } as FilterQuery<T>;
  const rows = await em.find(entity, filter, {
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] as never,
    limit: first + 1,
  });
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(node.createdAt, node.id), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
