import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { MESH_NAMES } from '@anymesh/adapters';
import { applyEdit } from './apply-edit.js';
import type {
  CapabilityMatrixView,
  MeshGapReport,
  PoliciesView,
  RecentErrorsView,
  ServiceNodeView,
  Topology,
  TranslationView,
} from './api-types.js';
import { capabilityMatrix } from './reports/capability-matrix.js';
import { recentErrors } from './recent-errors/recent-errors-query.js';
import { policyGaps } from './reports/policy-gaps.js';
import { rolloutRouter } from './rollouts/rollout-router.js';
import { buildTopology } from './topology/build-topology.js';
import type { TapView } from './tap/tap-sessions.js';
import { publicProcedure, router } from './trpc.js';

const meshInput = z.object({ mesh: z.enum(MESH_NAMES) });

/** The dashboard API. Every answer is a plain JSON value typed from core's model. */
export const appRouter = router({
  topology: publicProcedure.query(async ({ ctx }): Promise<Topology> => {
    const { result } = await ctx.policies.snapshot();
    return buildTopology(result.set, ctx.scraper?.view());
  }),

  services: publicProcedure.query(async ({ ctx }): Promise<readonly ServiceNodeView[]> => {
    const { result } = await ctx.policies.snapshot();
    return buildTopology(result.set, ctx.scraper?.view()).nodes;
  }),

  capabilities: publicProcedure.query(({ ctx }): CapabilityMatrixView => capabilityMatrix(ctx.catalog)),

  policies: publicProcedure.query(async ({ ctx }): Promise<PoliciesView> => {
    const { sources, edited, result } = await ctx.policies.snapshot();
    return {
      policyDir: ctx.policies.dir,
      files: sources.map((s) => ({ file: s.file, text: s.text, editedInDashboard: edited.has(s.file) })),
      diagnostics: result.diagnostics,
      valid: result.valid,
    };
  }),

  translation: publicProcedure.input(meshInput).query(async ({ ctx, input }): Promise<TranslationView> => {
    const entry = ctx.catalog.meshes.find((m) => m.name === input.mesh);
    if (!entry) throw new TRPCError({ code: 'NOT_FOUND', message: ctx.catalog.missing.get(input.mesh) ?? `no adapter for ${input.mesh}` });
    const { result } = await ctx.policies.snapshot();
    try {
      const translation = ctx.catalog.translate(input.mesh, result.set);
      return {
        mesh: input.mesh,
        displayName: entry.displayName,
        yaml: ctx.catalog.toYaml(translation.manifests),
        manifestCount: translation.manifests.length,
        diagnostics: translation.diagnostics,
      };
    } catch (error) {
      throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `the ${input.mesh} translation failed: ${(error as Error).message}` });
    }
  }),

  gaps: publicProcedure.query(async ({ ctx }): Promise<MeshGapReport[]> => {
    const { result } = await ctx.policies.snapshot();
    return policyGaps(ctx.catalog, result.set);
  }),

  /** Live requests of a service's sidecars (like `anymesh tap`): poll with `after` = the previous answer's `next`. */
  tap: publicProcedure
    .input(
      z.object({
        namespace: z.string().min(1).max(253),
        service: z.string().min(1).max(253),
        version: z.string().min(1).max(253).optional(),
        path: z.string().startsWith('/').max(2048).optional(),
        after: z.number().int().min(-1).optional(),
      }),
    )
    .query(({ ctx, input }): Promise<TapView> => {
      if (!ctx.tap)
        throw new TRPCError({
          code: 'PRECONDITION_FAILED',
          message: 'tap needs a running native mesh (start the dashboard with a control plane)',
        });
      return ctx.tap.poll(input);
    }),

  /** The latest failed requests into a service (optionally from one caller), newest first, from the sidecars' tap streams. */
  recentErrors: publicProcedure
    .input(
      z.object({
        service: z.string().min(3).max(507),
        source: z.string().min(1).max(507).optional(),
        limit: z.number().int().min(1).max(200).optional(),
      }),
    )
    .query(({ ctx, input }): RecentErrorsView => recentErrors(ctx.errors, input)),

  rollouts: rolloutRouter,

  applyPolicy: publicProcedure
    .input(z.object({ file: z.string().min(1).max(4096), text: z.string().max(8 * 1024 * 1024) }))
    .mutation(({ ctx, input }) => applyEdit(ctx, input.file, input.text)),
});

export type AppRouter = typeof appRouter;
