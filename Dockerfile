# syntax=docker/dockerfile:1
# One image for every plane; the compose file picks the entry point per service.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# sqlite3 builds natively.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .swcrc tsconfig.base.json tsconfig.json ./
COPY schema/package.json schema/
COPY testing/package.json testing/
COPY data-plane/package.json data-plane/
COPY control-plane/package.json control-plane/
COPY workers/package.json workers/
COPY admin-ui/package.json admin-ui/
COPY bench/package.json bench/
RUN npm install --no-audit --no-fund --loglevel=error
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production DATA_DIR=/data ADMIN_UI_DIR=/app/admin-ui/dist
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000 3001
CMD ["node", "control-plane/dist/main.js"]
