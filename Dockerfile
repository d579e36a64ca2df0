# ncg control-plane image. Two stages: `build` compiles TypeScript with the dev dependencies; the runtime
# stage holds only production dependencies and the compiled dist/ (smaller image, no compiler or test tools).
# No Docker engine runs on the machine this was written on: the file is kept correct by construction and
# review (see docs/deployment.md), not by a local `docker build`.
#
#   docker build -t registry.example/ncg:0.1.0 .

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first so the dependency layer is cached until package*.json change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY proto ./proto
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NCG_DATA_DIR=/var/lib/ncg \
    NCG_CONFIG=/etc/ncg/config.yaml
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# An empty config so the default NCG_CONFIG exists; the Helm chart and manifests mount a ConfigMap over it.
RUN mkdir -p /etc/ncg /var/lib/ncg \
 && printf '# replaced by the mounted ConfigMap\n' > /etc/ncg/config.yaml \
 && chown -R node:node /var/lib/ncg
# The base image's unprivileged `node` user (uid 1000); numeric so runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080 50051
# No tini: `ncg serve` is PID 1 and handles SIGTERM/SIGINT itself (src/cli/commands/serve.ts: drain,
# release the leader lock, exit within 10 s). Node 20 has fetch, so no curl is needed in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.NCG_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/cli/main.js", "serve"]
