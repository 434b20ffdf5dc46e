import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '../../src/index.js';

export function dashboardClient(url: string) {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: new URL('trpc', url).toString() })] });
}

export const BOOKSTORE_DIR = new URL('../../../../examples/bookstore/', import.meta.url).pathname;
