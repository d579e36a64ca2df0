/** GET /v1/audit answers (src/api/rest/routes/audit.ts). */
import { z } from 'zod';
import { isoTime, pageOf } from './common.js';

/** One audit entry. */
export const auditEntrySchema = z
  .strictObject({
    id: z.number(),
    at: isoTime,
    actor: z.string().optional().meta({ description: 'The acting user.' }),
    token: z.string().optional().meta({ description: 'Id of the API token that authenticated the request.' }),
    address: z.string().optional().meta({ description: 'Client address as the server saw it.' }),
    institution: z.string().optional().meta({ description: 'The institution the action concerns.' }),
    action: z.string().meta({ description: 'e.g. allocation.award, allocation.split, project.member.remove, cluster.drain, job.submit, job.cancel, token.create.' }),
    targetKind: z.string(),
    targetId: z.string(),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'AuditEntry', description: 'One mutating action: who, from where, what, when, before and after.' });

/** A page of entries, newest first. */
export const auditPageSchema = pageOf(auditEntrySchema, 'AuditPage', 'Audit entries, newest first.');
