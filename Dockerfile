# The oda-api-operator image: every driver, one process (`node` as PID 1, which handles SIGTERM).
#
#   docker build -t oda-api-operator:0.1.0 --build-arg VERSION=0.1.0 .        # official Node 24 images
#   scripts/image-build.sh                                                   # the same, version from package.json
#   scripts/image-base.sh && scripts/image-build.sh --local-base             # no registry: local bases
#
# Works with the classic builder and BuildKit. Every RUN is in exec form and the runtime stage only
# copies files, so neither stage needs a shell: any base with node at /usr/local/bin and npm at
# /usr/local/lib/node_modules/npm (the official images' layout) will do.
ARG BUILD_BASE=node:24-bookworm-slim
ARG RUNTIME_BASE=node:24-bookworm-slim

# ---- build: all dependencies, compile, drop development dependencies and what is never loaded ----
FROM ${BUILD_BASE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN ["node", "/usr/local/lib/node_modules/npm/bin/npm-cli.js", "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
COPY tsconfig.json tsconfig.build.json ./
COPY core/ core/
COPY drivers/ drivers/
RUN ["node", "node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"]
RUN ["node", "/usr/local/lib/node_modules/npm/bin/npm-cli.js", "prune", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"]
COPY scripts/image-prune.ts scripts/
RUN ["node", "scripts/image-prune.ts", "node_modules", "dist"]

# ---- runtime: production dependencies, compiled code, CRDs; nothing else ------------------------
FROM ${RUNTIME_BASE}
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG CREATED=
# The repository URL; scripts/image-build.sh passes package.json "repository" or the git remote.
ARG SOURCE=
LABEL org.opencontainers.image.title="oda-api-operator" \
      org.opencontainers.image.description="Kubernetes operator exposing TM Forum ODA component APIs through a pluggable gateway driver (Istio, Kubernetes Ingress, ...)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0"
# /nodejs/bin: where distroless Node.js images keep node, so RUNTIME_BASE may be one of those
# (untested: no registry was reachable where this was written).
# MALLOC_ARENA_MAX=1: glibc gives each thread that allocates (V8's GC and compiler workers) an
# arena of its own, and keeps what they freed there: about 9 MiB of RSS at 10 000 APIs, gone
# with one shared arena (BENCHMARKS.md). The benchmark runs the operator with this environment.
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=1 \
    PATH=/usr/local/bin:/nodejs/bin:/usr/bin:/bin
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/core ./dist/core
COPY --from=build /src/dist/drivers ./dist/drivers
COPY config/crd ./config/crd
# Files stay root-owned and read-only for the process; nothing is written at run time, so the
# root filesystem can be mounted read-only.
USER 65532:65532
EXPOSE 8080
STOPSIGNAL SIGTERM
# --max-semi-space-size=4: V8 sizes the young generation from the machine's memory (up to 64 MiB
# per semi-space); the operator's garbage is short-lived and small, so 4 MiB costs no CPU and
# keeps up to 120 MiB of RSS off the pod. --expose-gc: the heap trimmer (heapTrimThresholdMiB)
# runs a compacting GC that gives free pages back after bursts of work (BENCHMARKS.md).
# The benchmark runs the operator with exactly these flags (bench/image-entrypoint.ts).
ENTRYPOINT ["node", "--enable-source-maps", "--max-semi-space-size=4", "--expose-gc", "/app/dist/core/cli/main.js"]
CMD ["run"]
