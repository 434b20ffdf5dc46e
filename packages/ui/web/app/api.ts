import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '../../src/server/router.js';

/** The typed dashboard API: every answer's type comes from the server's router, built on core's. */
export const api = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/trpc' })] });

export type Api = typeof api;
