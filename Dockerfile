# syntax=docker/dockerfile:1
# Build: compiles TypeScript and native modules (sqlite3) with the full toolchain.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# Dependencies first, so a code change does not reinstall them; sqlite3 builds its native part.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild sqlite3
COPY . .
RUN npm run build && npm prune --omit=dev

# Run: only what production needs, as the unprivileged "node" user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
# As `npm start` and `npm run worker` (package.json): a young generation of 64 MB per semi-space
# cut a list page's CPU by ~13% under 50 connections (bench/README.md), for at most 128 MB more.
ENV NODE_OPTIONS=--max-semi-space-size=64
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/views ./views
COPY --from=build --chown=node:node /app/public ./public
COPY --from=build --chown=node:node /app/seeders/data ./seeders/data
RUN mkdir -p /app/var && chown node:node /app/var
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Web by default; the worker service runs `node dist/workers/index.js` from the same image.
CMD ["node", "dist/src/server.js"]
