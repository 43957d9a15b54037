# Tollgate's container image: docs/deployment.md says how to build and run it.
#
#   docker build -t tollgate .
#   docker run -p 8000:8000 -v tollgate-data:/app/data tollgate
#
# test/deploy/container-layout.test.ts reads this file and replays its stages in folders (the same
# copies, npm ci and command line), so a change here that breaks the gateway fails there.

# Build: the esbuild bundle that `npm start` runs (dist/cli/, README "Development").
FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Dev dependencies too (esbuild). The `node` devDependency's install script (allowed by
# allowScripts) fetches a Node 24 binary that npm scripts then run on; here it is the same Node.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
# The admin dashboard's static files, copied beside the bundle by the build.
COPY dashboard ./dashboard
RUN npm run build

# Runtime: production dependencies, the bundle and the example config; no compiler, no sources.
FROM node:24-slim AS runtime
# One malloc arena for all threads, as `npm start` (README "Memory"). TOLLGATE_HOST: the bundled
# example listens on loopback unless told otherwise; in a container the port must be reachable. The config is read from
# /etc/tollgate/tollgate.yaml: mount yours there (a ConfigMap, a bind mount); without one the
# bundled example runs.
ENV MALLOC_ARENA_MAX=1 \
    TOLLGATE_HOST=0.0.0.0 \
    TOLLGATE_CONFIG=/etc/tollgate/tollgate.yaml
WORKDIR /app
COPY package.json package-lock.json ./
# No production dependency has an install script (the `node` devDependency's and esbuild's are
# left out with the dev dependencies), so none needs to run.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY tollgate.example.yaml ./
COPY tollgate.example.yaml /etc/tollgate/tollgate.yaml
# The example config's SQLite store is ./data/tollgate.db: the only place the gateway writes.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 8000 8001
# The admin listener's /healthz; node:24-slim has no curl. The admin port is the example
# config's (TOLLGATE_ADMIN_PORT, default 8001); Kubernetes ignores this and uses its own probes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.TOLLGATE_ADMIN_PORT || 8001) + '/healthz').then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))"]
# The flags of `npm start` (--heap-growing-percent cannot go in NODE_OPTIONS). Exec form: node is
# PID 1 and gets SIGTERM itself; the gateway handles it (drains for server.drain_timeout), so no
# init process is needed. Other commands replace CMD: `docker run IMAGE config validate FILE`.
ENTRYPOINT ["node", "--v8-pool-size=1", "--max-semi-space-size=8", "--heap-growing-percent=60", "/app/dist/cli/main.js"]
CMD ["start"]
