/**
 * Every migration this build knows, in order. Listed statically (no directory scan) so they ship inside
 * the compiled build and the bundle. Forward-only: add a new NNNN_name.ts, never edit a shipped one.
 */
import type { Migration } from 'kysely';
import { migration0001Grid } from './0001_grid.js';
import { migration0002Jobs } from './0002_jobs.js';
import { migration0003AppendOnly } from './0003_append_only.js';
import { migration0004Metering } from './0004_metering.js';
import { migration0005KpiRollups } from './0005_kpi_rollups.js';
import { migration0006LedgerJobOwner } from './0006_ledger_job_owner.js';
import { migration0007AllocationWorkflow } from './0007_allocation_workflow.js';
import { migration0008JobPreemptedAt } from './0008_job_preempted_at.js';

/** Migrations by name; names sort in the order they apply. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_grid': migration0001Grid,
  '0002_jobs': migration0002Jobs,
  '0003_append_only': migration0003AppendOnly,
  '0004_metering': migration0004Metering,
  '0005_kpi_rollups': migration0005KpiRollups,
  '0006_ledger_job_owner': migration0006LedgerJobOwner,
  '0007_allocation_workflow': migration0007AllocationWorkflow,
  '0008_job_preempted_at': migration0008JobPreemptedAt,
};

/** The names of all known migrations, in order. */
export const knownMigrationNames: readonly string[] = Object.keys(migrations).sort();
