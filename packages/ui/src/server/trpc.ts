import { initTRPC } from '@trpc/server';
import type { DashboardContext } from './context.js';

const t = initTRPC.context<DashboardContext>().create();

export const router = t.router;
export const publicProcedure = t.procedure;
