/** The gRPC API (proto/ncg/v1): the server, and the proto loading that clients can share. */
export { startGrpcServer, DEFAULT_MAX_MESSAGE_BYTES, type GrpcDeps, type GrpcServerHandle } from './server.js';
export { loadProtos, protoRoot, serviceConstructor, LOADER_OPTIONS, PROTO_FILES, type LoadedProtos } from './load-protos.js';
export { protoFieldPath } from './errors.js';
