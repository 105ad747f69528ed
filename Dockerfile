# syntax=docker/dockerfile:1
# Container image for the webhook receiver: compile in a build stage, run the compiled service
# with production dependencies only, as the unprivileged `node` user.
#
#   docker build -t chatgpt-webhook-receiver .
#   docker run --rm -p 8080:8080 --read-only --tmpfs /tmp \
#     -e WEBHOOK_SECRET=... chatgpt-webhook-receiver
#
# Configuration comes from the environment (README.md, "Configuration"); no .env file or secret is
# baked into the image (see .dockerignore). The process writes nothing outside /tmp, so a
# read-only root filesystem works.

ARG NODE_IMAGE=node:22-slim

# ---- build: dev dependencies + tsc -> dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies, compiled code, fixtures for `replay` ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# package.json is needed at run time too: its "type": "module" makes dist/*.js ES modules.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Code stays owned by root: the service user can read it but not change it.
COPY --from=build /app/dist ./dist
COPY fixtures ./fixtures

USER node
EXPOSE 8080
# No curl in slim images: Node's own fetch, with a timeout, honouring a PORT override, and the
# ops listener when OPS_PORT moves /healthz there (on OPS_HOST unless that is a wildcard).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "const e = process.env; const ops = !!e.OPS_PORT; const host = ops && e.OPS_HOST && e.OPS_HOST !== '0.0.0.0' ? e.OPS_HOST : '127.0.0.1'; fetch('http://' + host + ':' + (ops ? e.OPS_PORT : e.PORT || 8080) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) reaches node directly: the service drains in-flight deliveries.
CMD ["node", "dist/cli/main.js", "serve"]
