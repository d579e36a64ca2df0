/**
 * The allocation workflow over REST: list and read allocations (with splits, requests and events), award,
 * split, file change requests, approve or reject them. Thin: parse, call the AllocationService (which
 * validates and narrows to the caller's institution), present. Who may call what is the authorisation
 * table's (src/api/authz/rules.ts).
 */
import { Router } from 'express';
import { DomainError } from '../../../domain/errors.js';
import type { AllocationService } from '../../../services/allocation-service.js';
import { principalOf } from '../auth.js';
import { presentAllocation, presentAllocationDetail, presentRequest } from '../present-allocation.js';
import { onlyParams, stringParam } from '../query.js';

function flag(query: Record<string, unknown>, name: string): boolean {
  const v = stringParam(query, name);
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw DomainError.invalid(`query parameter ${name} must be true or false, got ${JSON.stringify(v.slice(0, 40))}`, [{ path: name, message: 'true or false' }]);
}

/** /v1/allocations… and /v1/allocation-requests… */
export function allocationRoutes(allocations: AllocationService): Router {
  const r = Router();

  r.get('/allocations', async (req, res) => {
    onlyParams(req.query, ['institution', 'period', 'awardsOnly']);
    const institutionId = stringParam(req.query, 'institution');
    const period = stringParam(req.query, 'period');
    const items = await allocations.list(principalOf(res), {
      ...(institutionId !== undefined ? { institutionId } : {}),
      ...(period !== undefined ? { period } : {}),
      awardsOnly: flag(req.query, 'awardsOnly'),
    });
    res.json({ items: items.map(presentAllocation) });
  });

  r.post('/allocations', async (req, res) => {
    onlyParams(req.query, []);
    const award = await allocations.award(principalOf(res), req.body);
    res.status(201).location(`/v1/allocations/${encodeURIComponent(award.id)}`).json(presentAllocation(award));
  });

  r.get('/allocations/:id', async (req, res) => {
    onlyParams(req.query, []);
    res.json(presentAllocationDetail(await allocations.get(principalOf(res), String(req.params.id))));
  });

  r.put('/allocations/:id/splits/:project', async (req, res) => {
    onlyParams(req.query, []);
    const result = await allocations.split(principalOf(res), String(req.params.id), String(req.params.project), req.body);
    res.json({
      award: presentAllocation(result.award),
      subAllocation: presentAllocation(result.after),
      allocatedGpuHours: result.allocatedGpuHours,
      availableGpuHours: Math.max(0, result.award.gpuHours - result.allocatedGpuHours),
    });
  });

  r.get('/allocations/:id/requests', async (req, res) => {
    onlyParams(req.query, ['status']);
    const status = stringParam(req.query, 'status');
    const items = await allocations.requests.list(principalOf(res), { allocationId: String(req.params.id), ...(status !== undefined ? { status } : {}) });
    res.json({ items: items.map(presentRequest) });
  });

  r.post('/allocations/:id/requests', async (req, res) => {
    onlyParams(req.query, []);
    const request = await allocations.requests.file(principalOf(res), String(req.params.id), req.body);
    res.status(201).location(`/v1/allocation-requests/${encodeURIComponent(request.id)}`).json(presentRequest(request));
  });

  r.get('/allocation-requests', async (req, res) => {
    onlyParams(req.query, ['status', 'institution']);
    const status = stringParam(req.query, 'status');
    const institutionId = stringParam(req.query, 'institution');
    const items = await allocations.requests.list(principalOf(res), { ...(status !== undefined ? { status } : {}), ...(institutionId !== undefined ? { institutionId } : {}) });
    res.json({ items: items.map(presentRequest) });
  });

  r.get('/allocation-requests/:id', async (req, res) => {
    onlyParams(req.query, []);
    res.json(presentRequest(await allocations.requests.get(principalOf(res), String(req.params.id))));
  });

  for (const verb of ['approve', 'reject'] as const) {
    r.post(`/allocation-requests/:id/${verb}`, async (req, res) => {
      onlyParams(req.query, []);
      const decide = verb === 'approve' ? allocations.requests.approve.bind(allocations.requests) : allocations.requests.reject.bind(allocations.requests);
      const decision = await decide(principalOf(res), String(req.params.id), req.body);
      res.json({ request: presentRequest(decision.request), allocation: presentAllocation(decision.allocation) });
    });
  }

  return r;
}
