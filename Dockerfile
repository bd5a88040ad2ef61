# syntax=docker/dockerfile:1
#
# One image for every process of the Vietnam digital-society atlas. Pick the process with the command:
#
#   node dist/scripts/seed.js                    one-shot: migrate the identity, finance and infrastructure
#                                                schemas, load registry, catalogue and seed figures (idempotent)
#   node dist/subgraphs/identity/index.js        identity subgraph        IDENTITY_PORT        (default 4001)
#   node dist/subgraphs/finance/index.js         finance subgraph         FINANCE_PORT         (default 4002)
#   node dist/subgraphs/infrastructure/index.js  infrastructure subgraph  INFRASTRUCTURE_PORT  (default 4003)
#   node dist/gateway/index.js                   Apollo gateway (default) PORT                 (default 4000)
#
# Seed and subgraphs need DATABASE_URL (Postgres >= 15). The gateway needs IDENTITY_URL, FINANCE_URL and
# INFRASTRUCTURE_URL (e.g. http://identity:4001/graphql). Every variable is listed in common/config.ts.
# docker-compose.yml wires all of it together; see docs/docker.md.

# Node 24 LTS (CI's second run) on Debian 12 as before; --build-arg NODE_IMAGE=... picks another official node image.
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: all dependencies, TypeScript -> dist/ ----------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# npm install keeps to the committed lockfile's versions; it lists every platform's optional binaries, so npm ci would work too.
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --loglevel=warn
COPY tsconfig.json tsconfig.build.json ./
COPY common ./common
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY scripts ./scripts
COPY web ./web
RUN npm run build

# ---- deps: production dependencies only (cached until package*.json change) ------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund --loglevel=warn && npm cache clean --force

# ---- runtime -----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="vn-digital-atlas" \
      org.opencontainers.image.description="Vietnam digital-society atlas: identity, finance and infrastructure subgraphs + Apollo gateway. Commands: node dist/scripts/seed.js | node dist/subgraphs/{identity,finance,infrastructure}/index.js | node dist/gateway/index.js (default)" \
      org.opencontainers.image.licenses="MIT"
# HOST=0.0.0.0: the services default to 127.0.0.1, which is unreachable from other containers.
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
# Owned by root and read-only for the `node` user: nothing at run time writes into the project directory.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY --from=build /app/dist ./dist
# schema/ holds the checked-in supergraph (SUPERGRAPH_PATH); seeds/ is read by the seed job and also
# marks the project root (common/paths.ts looks for package.json + seeds/), so every process needs it.
COPY schema ./schema
COPY seeds ./seeds
USER node
EXPOSE 4000 4001 4002 4003
# No curl in the slim image: node's fetch does the probe. The port follows the process this container
# runs (read from PID 1's command line, which also works behind `init: true`): a subgraph's port, else PORT.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "-e", "const cmd=require('fs').readFileSync('/proc/1/cmdline','utf8'),e=process.env;const port=cmd.includes('subgraphs/identity/')?e.IDENTITY_PORT||4001:cmd.includes('subgraphs/finance/')?e.FINANCE_PORT||4002:cmd.includes('subgraphs/infrastructure/')?e.INFRASTRUCTURE_PORT||4003:e.PORT||4000;fetch('http://127.0.0.1:'+port+'/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Default process: the gateway. Override the command for the seed job or a subgraph (list above).
CMD ["node", "dist/gateway/index.js"]
