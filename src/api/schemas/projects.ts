/** Bodies and answers of the project endpoints (src/api/rest/routes/projects.ts). */
import { z } from 'zod';
import { storableText } from './job-submit.js';

const slug = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'letters, digits and . _ : / - only');

/** POST /v1/projects. */
export const projectCreateSchema = z
  .strictObject({
    id: slug.optional().meta({ description: 'Project id; default `<institution>-<name as a slug>`.' }),
    institution: slug.optional().meta({ description: 'Owning institution; default the caller’s (only national admins may name another).' }),
    name: storableText(200, 1),
    shares: z.number().finite().min(0).max(1e6).default(1).meta({ description: 'Fair-share weight inside the institution.' }),
  })
  .meta({ id: 'ProjectCreate', description: 'A new research project.' });

/** POST /v1/projects/{id}/members. */
export const memberAddSchema = z.strictObject({ user: slug.meta({ description: 'User id (of the project’s institution).' }) }).meta({ id: 'ProjectMemberAdd', description: 'A user to add.' });

/** A project as answered. */
export const projectViewSchema = z
  .strictObject({ id: z.string(), institution: z.string(), name: z.string(), shares: z.number(), members: z.array(z.string()).optional() })
  .meta({ id: 'Project', description: 'A research project; `members` on single-project answers.' });

/** GET /v1/projects. */
export const projectListSchema = z.strictObject({ items: z.array(projectViewSchema) }).meta({ id: 'ProjectList', description: 'Projects.' });

/** The answer to a membership change. */
export const memberChangeSchema = z
  .strictObject({ project: z.string(), user: z.string(), changed: z.boolean().meta({ description: 'False when the user already was (or was not) a member.' }), members: z.array(z.string()) })
  .meta({ id: 'ProjectMemberChange', description: 'A project’s members after a change.' });
