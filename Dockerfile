# syntax=docker/dockerfile:1.7
# Multi-stage: build with dev dependencies, run with production dependencies only, as a non-root user.
# The image expects an external PostgreSQL in DATABASE_URL (the embedded one is for local development).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
# NODE_ENV=production turns on HSTS and turns CORS off until CORS_ORIGINS lists the browser origins allowed to call.
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/var/lib/deskline
WORKDIR /app
RUN groupadd --system deskline && useradd --system --gid deskline --home /app deskline \
 && mkdir -p /var/lib/deskline && chown deskline:deskline /var/lib/deskline
COPY --from=build --chown=deskline:deskline /app/node_modules ./node_modules
COPY --from=build --chown=deskline:deskline /app/dist ./dist
COPY --chown=deskline:deskline package.json ./
USER deskline
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Migrations first (under an advisory lock, so replicas may start together), then the server, with the same node flags
# as `npm run start:prod`: a heap cap under 2 GiB also makes V8 collect at about 1.8x the live heap instead of 4x, which
# keeps peak RSS near 210 MB under load (docs/benchmarks.md).
CMD ["sh", "-c", "node dist/src/database/cli/run-migrations.js && exec node --max-old-space-size=1536 dist/src/main.js"]
