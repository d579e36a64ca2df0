/**
 * 0006: one foreign key from a ledger row to its job *and* the job's owner — (job, institution, project,
 * user) → jobs — instead of four separate ones. The ledger copies institution, project and user from the
 * job so budgets can be summed without a join; the composite key makes sure the copy is right (the four
 * single keys only checked that each existed), and checks one row instead of four: the separate checks were
 * over half of PostgreSQL's time per ledger insert (EXPLAIN ANALYZE; bench/README.md, "Ledger").
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-statements.js';

const statements = [
  // A foreign key needs a unique index on the columns it references; `id` alone is unique already.
  `create unique index jobs_owner_key on jobs (id, institution_id, project_id, user_id)`,
  `alter table ledger_entries add constraint ledger_entries_job_owner_fkey
     foreign key (job_id, institution_id, project_id, user_id) references jobs (id, institution_id, project_id, user_id)`,
  `alter table ledger_entries drop constraint ledger_entries_job_id_fkey`,
  `alter table ledger_entries drop constraint ledger_entries_institution_id_fkey`,
  `alter table ledger_entries drop constraint ledger_entries_project_id_fkey`,
  `alter table ledger_entries drop constraint ledger_entries_user_id_fkey`,
];

/** Ledger rows reference their job with its owner, in one key. */
export const migration0006LedgerJobOwner: Migration = {
  up: (db: Kysely<unknown>) => runStatements(db, statements),
};
