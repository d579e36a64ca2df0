/** /v1/projects: list, create, read with members, add and remove members (ProjectService narrows scope). */
import { Router } from 'express';
import type { Project } from '../../../domain/types.js';
import type { MemberChange, ProjectService } from '../../../services/project-service.js';
import { principalOf } from '../auth.js';
import { onlyParams, stringParam } from '../query.js';

const present = (p: Project, members?: string[]) => ({ id: p.id, institution: p.institutionId, name: p.name, shares: p.shares, ...(members ? { members } : {}) });
const presentChange = (c: MemberChange) => ({ project: c.projectId, user: c.userId, changed: c.changed, members: c.members });

/** Project and membership routes. */
export function projectRoutes(projects: ProjectService): Router {
  const r = Router();

  r.get('/projects', async (req, res) => {
    onlyParams(req.query, ['institution']);
    const institutionId = stringParam(req.query, 'institution');
    const items = await projects.list(principalOf(res), institutionId !== undefined ? { institutionId } : {});
    res.json({ items: items.map((p) => present(p)) });
  });

  r.post('/projects', async (req, res) => {
    onlyParams(req.query, []);
    const project = await projects.create(principalOf(res), req.body);
    res.status(201).location(`/v1/projects/${encodeURIComponent(project.id)}`).json(present(project, []));
  });

  r.get('/projects/:id', async (req, res) => {
    onlyParams(req.query, []);
    const detail = await projects.get(principalOf(res), String(req.params.id));
    res.json(present(detail, detail.members));
  });

  r.get('/projects/:id/members', async (req, res) => {
    onlyParams(req.query, []);
    const detail = await projects.get(principalOf(res), String(req.params.id));
    res.json({ project: detail.id, members: detail.members });
  });

  r.post('/projects/:id/members', async (req, res) => {
    onlyParams(req.query, []);
    const change = await projects.addMember(principalOf(res), String(req.params.id), req.body);
    res.status(change.changed ? 201 : 200).json(presentChange(change));
  });

  r.delete('/projects/:id/members/:user', async (req, res) => {
    onlyParams(req.query, []);
    res.json(presentChange(await projects.removeMember(principalOf(res), String(req.params.id), String(req.params.user))));
  });

  return r;
}
