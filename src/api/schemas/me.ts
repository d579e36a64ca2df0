/** The answer of GET /v1/me (documentation; the server builds it in src/services/whoami.ts). */
import { z } from 'zod';

/** The caller as the server resolved their token. */
export const meSchema = z
  .strictObject({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    institutionId: z.string(),
    roles: z.array(z.enum(['researcher', 'institution-admin', 'coe-operator', 'national-admin'])),
    operatorSiteIds: z.array(z.string()).meta({ description: 'Sites a CoE operator operates.' }),
    projects: z.array(z.strictObject({ id: z.string(), name: z.string(), institutionId: z.string() })).meta({ description: 'Projects the caller is a member of.' }),
    defaultProject: z.string().optional().meta({
      description: 'What a submission without a project charges (`ncg submit`): the first project you are a member of; for an admin in none, the first project of your institution.',
    }),
  })
  .meta({ id: 'Me', description: 'The authenticated caller.' });
