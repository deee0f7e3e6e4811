# One image per function, chosen with a build argument:
#   docker build --build-arg FUNCTION=set-cluster-namespace -t ghcr.io/flatnet/set-cluster-namespace .
# and in a Kptfile:  - image: ghcr.io/flatnet/set-cluster-namespace
# The image runs the same self-contained bundle as `exec: ./dist/fn/<function>.js`, with its V8 code
# cache beside it (<bundle>.v8cache: trained by the build in the build stage, whose Node is the
# runtime's; optional, checked by the bundle, never written at run time).

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The lint's workspace (its own TypeScript for the ESLint parser): npm ci needs its package.json.
COPY tools/eslint-ts/package.json tools/eslint-ts/
# No install scripts: esbuild's binary comes from its platform package.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/ scripts/
COPY packages/ packages/
COPY functions/ functions/
# The build trains the bundles' code caches on the example package (a temporary copy of it).
COPY examples/fleet/ examples/fleet/
RUN npm run build

# Argo CD config management plugin sidecar: `docker build --target argocd-cmp -t ghcr.io/flatnet/argocd-cmp .`
# (see argocd/). Node and the flatnet CLI bundle only; runs as user 999 as Argo CD requires.
FROM node:20-bookworm-slim AS argocd-cmp
COPY --from=build /src/dist/flatnet.js /usr/local/lib/flatnet/flatnet.js
COPY --from=build /src/dist/flatnet.js.v8cache /usr/local/lib/flatnet/flatnet.js.v8cache
COPY argocd/plugin.yaml /home/argocd/cmp-server/config/plugin.yaml
USER 999

# The default target: one KRM function per image.
FROM node:20-bookworm-slim AS function
ARG FUNCTION=set-cluster-namespace
LABEL org.opencontainers.image.title="flatnet ${FUNCTION}" \
      org.opencontainers.image.description="flatnet KRM function ${FUNCTION} (GDC flat-mode BGP)" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /src/dist/fn/${FUNCTION}.js /usr/local/lib/flatnet/function.js
COPY --from=build /src/dist/fn/${FUNCTION}.js.v8cache /usr/local/lib/flatnet/function.js.v8cache
# The bundle needs no node_modules. Run as the image's unprivileged `node` user.
USER node
ENTRYPOINT ["node", "/usr/local/lib/flatnet/function.js"]
