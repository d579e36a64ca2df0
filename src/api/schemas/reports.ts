/**
 * Response shapes of the KPI and report endpoints (GET /v1/kpis, /v1/reports/…, /v1/dashboard/…), as
 * documented in the OpenAPI document. The dashboard pages' shapes are documented loosely (objects) where
 * they are the dashboard's own and may grow.
 */
import { z } from 'zod';

const nullableNum = () => z.number().nullable();

const waitStats = z.strictObject({ jobs: z.number().int(), meanSeconds: nullableNum(), p50Seconds: nullableNum(), p90Seconds: nullableNum() });

/** Wait statistics overall and per GPU-size class. */
export const waitKpisSchema = waitStats
  .extend({ bySize: z.strictObject({ '1': waitStats, '2-4': waitStats, '5-8': waitStats, '9-32': waitStats, '33+': waitStats }) })
  .meta({ id: 'WaitKpis', description: 'Submit → start of jobs that started in the period: mean, p50, p90 (nearest rank), overall and per GPU-size class.' });

/** Capacity of a compute-side group. */
export const capacitySchema = z
  .strictObject({ gpus: z.number().int(), gpusByType: z.record(z.string(), z.number().int()), bf16Pflops: z.number(), gpuHoursAvailable: z.number() })
  .meta({ id: 'Capacity', description: 'GPUs registered by the end of the period, dense bf16 PFLOPS, and GPU-hours available (registered and up, up to now).' });

/** One group's KPIs. */
export const kpiRowSchema = z
  .strictObject({
    key: z.string(),
    label: z.string(),
    capacity: capacitySchema.nullable(),
    gpuHoursDelivered: z.number(),
    utilisation: nullableNum().meta({ description: 'Delivered ÷ available (null without capacity).' }),
    efficiency: nullableNum().meta({ description: 'GPU-hours-weighted DCGM utilisation of delivered GPU-hours with DCGM data.' }),
    efficiencyCoverage: nullableNum(),
    waits: waitKpisSchema,
    jobsByState: z.strictObject({ succeeded: z.number().int(), failed: z.number().int(), cancelled: z.number().int() }),
    activeUsers: z.number().int(),
    activeProjects: z.number().int(),
    institutionsServed: z.number().int().meta({ description: 'Distinct institutions with ≥ 1 GPU-hour in the group.' }),
  })
  .meta({ id: 'KpiRow', description: 'The KPIs of one group (or of the whole grid).' });

const periodSchema = z.strictObject({ name: z.string(), kind: z.string(), start: z.string(), end: z.string() });

/** Institutions served against the targets. */
export const institutionsServedSchema = z
  .strictObject({
    served: z.number().int(),
    registered: z.number().int(),
    targets: z.array(z.strictObject({ target: z.number().int(), met: z.boolean(), progress: z.number() })),
    ids: z.array(z.string()).optional(),
  })
  .meta({ id: 'InstitutionsServed' });

/** Consolidation of HPC clusters. */
export const consolidationSchema = z
  .strictObject({
    clustersFederated: z.number().int(), clustersByKind: z.record(z.string(), z.number().int()), managedGpus: z.number().int(), managedPflops: z.number(),
    registeredNationalGpus: z.number().int(), registeredNationalPflops: z.number(), managedShareGpus: nullableNum(), managedSharePflops: nullableNum(), unmanagedSystems: z.array(z.string()),
  })
  .meta({ id: 'Consolidation' });

/** A KPI answer. */
export const kpiReportSchema = z
  .strictObject({
    period: periodSchema,
    asOf: z.string(),
    groupBy: z.enum(['national', 'site', 'province', 'cluster', 'gpuType', 'institution', 'institutionProvince', 'project']),
    national: kpiRowSchema,
    groups: z.array(kpiRowSchema),
    institutionsServed: institutionsServedSchema,
    consolidation: consolidationSchema,
    allocations: z.strictObject({
      awardedGpuHours: z.number(), usedGpuHours: z.number(), exhaustedInstitutions: z.array(z.string()),
      institutions: z.array(z.strictObject({ institutionId: z.string(), awardedGpuHours: z.number(), usedGpuHours: z.number(), remainingGpuHours: z.number(), usedShare: nullableNum(), exhausted: z.boolean() })),
    }),
  })
  .meta({ id: 'KpiReport', description: 'KPIs of a period grouped as asked, with the national row and national-only KPIs.' });

/** The Pillar-5 document. */
export const pillar5Schema = z
  .strictObject({
    report: z.literal('pillar5'), version: z.number().int(), title: z.string(), period: periodSchema, asOf: z.string(), national: kpiRowSchema,
    institutionsServed: institutionsServedSchema, consolidation: consolidationSchema,
    allocations: z.strictObject({ awardedGpuHours: z.number(), usedGpuHours: z.number(), exhaustedInstitutions: z.array(z.string()) }),
    byProvince: z.array(kpiRowSchema), bySite: z.array(kpiRowSchema), byInstitutionProvince: z.array(kpiRowSchema), definitions: z.record(z.string(), z.string()),
  })
  .meta({ id: 'Pillar5Report', description: 'National AI compute capacity, consolidation, institutions served vs targets, delivery, waits, per province and per site.' });

/** A snapshot as listed. */
export const snapshotSummarySchema = z
  .strictObject({ id: z.number().int(), kind: z.string(), period: z.string(), periodStart: z.string(), periodEnd: z.string(), sha256: z.string(), createdAt: z.string(), verified: z.boolean() })
  .meta({ id: 'SnapshotSummary', description: 'A stored snapshot; `verified` is the SHA-256 of its canonical JSON recomputed now against the stored hash.' });

/** The snapshot list. */
export const snapshotListSchema = z.strictObject({ items: z.array(snapshotSummarySchema) }).meta({ id: 'SnapshotList' });

/** One snapshot with its content. */
export const snapshotSchema = snapshotSummarySchema.extend({ content: pillar5Schema }).meta({ id: 'Snapshot' });

/** A dashboard page's data (the dashboard's own shapes). */
export const dashboardPageSchema = z.looseObject({ asOf: z.string() }).meta({ id: 'DashboardPage', description: 'Data of one dashboard page; see the dashboard for its use.' });

/** The signed-in user as the dashboard sees it. */
export const dashboardMeSchema = z
  .strictObject({ userId: z.string(), institutionId: z.string(), roles: z.array(z.string()), operatorSiteIds: z.array(z.string()) })
  .meta({ id: 'DashboardMe' });
