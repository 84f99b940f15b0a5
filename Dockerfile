# syntax=docker/dockerfile:1
#
# One image, two Cloud Run services: the bot (HTTP endpoints, this CMD) and the worker (BullMQ
# consumer, started with the command overridden to `node dist/bot/worker.js`).
#
#   docker build -t moviebot .                                  # data downloaded on first start
#   docker build --build-arg MOVIELENS_FETCH=1 -t moviebot .    # MovieLens baked into the image
#
# The `node` devDependency only pins Node for development; every stage here runs the image's own
# Node 24, so install scripts are skipped (`--ignore-scripts`): none of the production dependencies
# needs one (msgpackr-extract ships prebuilt binaries and falls back to JavaScript).

ARG NODE_IMAGE=node:24-slim

# --- deps: every dependency, dev ones included, to compile -------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# `npm ci`: exactly what the lockfile pins (it lists every platform's optional packages).
RUN npm ci --ignore-scripts --no-audit --no-fund

# --- build: TypeScript to dist/ (tsc rewrites the .ts import extensions to .js) ----------------
FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY bot ./bot
COPY core ./core
COPY scripts ./scripts
COPY sql ./sql
RUN npm run build

# --- movielens: fetched only on request (its licence forbids redistributing it in the repo) ----
FROM ${NODE_IMAGE} AS movielens
ARG MOVIELENS_FETCH=0
ARG MOVIELENS_URL=https://files.grouplens.org/datasets/movielens/ml-latest-small.zip
# Optional pin; without it the checksum GroupLens publishes beside the zip (<url>.md5) is used.
ARG MOVIELENS_MD5=
COPY scripts/fetch-movielens.sh /usr/local/bin/fetch-movielens
RUN mkdir -p /data \
  && if [ "$MOVIELENS_FETCH" = "1" ]; then \
       apt-get update \
       && apt-get install -y --no-install-recommends ca-certificates curl unzip \
       && fetch-movielens "$MOVIELENS_URL" /data "$MOVIELENS_MD5"; \
     fi

# --- runtime: production dependencies, compiled JavaScript, non-root ---------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# SQL statements (BigQuery's, and the member database's migrations) are read at run time.
COPY --from=build /app/sql ./sql
# ./data is where the app looks for (and otherwise downloads) MovieLens; ./.cache holds derived
# indexes. Both belong to the runtime user so a first start can write them (Cloud Run's disk is an
# in-memory, writable filesystem).
COPY --from=movielens --chown=node:node /data ./data
RUN mkdir -p .cache && chown node:node .cache
# The node images' unprivileged user (uid 1000).
USER node
EXPOSE 8080
# No HEALTHCHECK: Cloud Run ignores it and probes /healthz itself (see manifests/).
CMD ["node", "dist/bot/main.js"]
