/**
 * Loading ncg's .proto files at runtime with @grpc/proto-loader. The server, the reflection service and
 * test clients all load the same files with the same options, so what a client is generated from is what
 * the server speaks.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** Proto files the server serves, relative to the proto root. */
export const PROTO_FILES = ['ncg/v1/job_service.proto', 'ncg/v1/cluster_service.proto', 'ncg/v1/usage.proto', 'ncg/v1/reports.proto', 'ncg/v1/tokens.proto', 'ncg/v1/allocations.proto', 'grpc/health/v1/health.proto'] as const;

/**
 * Loader options: field names exactly as the .proto files spell them (snake_case — reflection serves the
 * descriptors built from these, so grpcurl and other clients see the real names), enums as their names,
 * int64 as JS numbers (ids and epoch seconds stay far below 2^53), empty repeated and map fields as [] and
 * {}, and proto3 defaults filled in for clients. `optional` fields stay absent when unset, which is how
 * the server tells "not given" (take the REST default) from an explicit 0.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
};

/**
 * The directory holding `ncg/v1/*.proto`: `dist/proto` next to the compiled code after `npm run build`
 * (scripts/copy-assets.mjs copies it there), or the repository's `proto/` when running from `src/` via tsx.
 */
export function protoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', 'proto'), join(here, '..', '..', '..', 'proto')];
  const found = candidates.find((dir) => existsSync(join(dir, PROTO_FILES[0])));
  if (!found) throw new Error(`cannot find the ncg .proto files; looked in ${candidates.join(' and ')}`);
  return found;
}

/** The loaded protos: the package definition (for reflection) and the grpc object tree (for services and clients). */
export interface LoadedProtos {
  root: string;
  packageDefinition: protoLoader.PackageDefinition;
  grpcObject: grpc.GrpcObject;
}

/** Load every served proto file synchronously (once at startup). */
export function loadProtos(root: string = protoRoot()): LoadedProtos {
  const packageDefinition = protoLoader.loadSync(
    PROTO_FILES.map((f) => join(root, f)),
    { ...LOADER_OPTIONS, includeDirs: [root] },
  );
  return { root, packageDefinition, grpcObject: grpc.loadPackageDefinition(packageDefinition) };
}

/** A service constructor by its dotted name, e.g. `ncg.v1.JobService`. */
export function serviceConstructor(protos: LoadedProtos, fullName: string): grpc.ServiceClientConstructor {
  let node: unknown = protos.grpcObject;
  for (const part of fullName.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'function' || !('service' in node)) throw new Error(`service ${fullName} is not in the loaded protos`);
  return node as grpc.ServiceClientConstructor;
}
