// zod schemas for the child line protocol (see child-protocol.ts), used where a message crosses a process boundary.
import { z } from 'zod';
import type { BenchMockScript, ChildCommand, ChildEvent } from './child-protocol';

export const mockScriptSchema: z.ZodType<BenchMockScript> = z.object({
  delayMs: z.number().int().min(0).optional(),
  content: z.string().optional(),
  chunkCount: z.number().int().positive().optional(),
  chunkIntervalMs: z.number().int().min(0).optional(),
  usage: z.object({ promptTokens: z.number().int(), completionTokens: z.number().int() }).optional(),
});

export const childCommandSchema: z.ZodType<ChildCommand> = z.discriminatedUnion('command', [
  z.object({ command: z.literal('configure'), script: mockScriptSchema }),
  z.object({ command: z.literal('count') }),
]);

export const childEventSchema: z.ZodType<ChildEvent> = z.discriminatedUnion('event', [
  z.object({ event: z.literal('ready'), url: z.string(), port: z.number().int() }),
  z.object({ event: z.literal('configured') }),
  z.object({ event: z.literal('count'), received: z.number().int() }),
  z.object({ event: z.literal('failed'), message: z.string() }),
]);
