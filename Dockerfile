# Peer Pods Console: the backend (REST API, admission webhook, capacity reconciler, cloud VM
# management) serving the console plugin's assets. One image, deployed by charts/peer-pods-console.
#
#   podman build -t <registry>/peer-pods-console:<version> .
#   (or in-cluster: see charts/peer-pods-console/README.md, "Build the image")
#
# The base images use Red Hat's floating RHEL-minor tags, which receive security rebuilds;
# for a reproducible release build pin them as 9.8-<build>@sha256:<digest>.

# ---- build: install every dependency, build plugin and backend, keep production dependencies ----
FROM registry.access.redhat.com/ubi9/nodejs-22:9.8 AS build

# The s2i image runs as 1001 in /opt/app-root/src, which that user owns.
WORKDIR /opt/app-root/src
ENV CI=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# The workspace's package.json too, so that npm ci links the contract package (contract/).
COPY --chown=1001:0 package.json package-lock.json ./
COPY --chown=1001:0 contract/package.json ./contract/
# --ignore-scripts: the devDependency "node" (the pinned Node 22 for developers' machines) would
# download a second runtime in its install script; the image's node builds and runs instead, and
# its empty bin link is removed so that npm scripts find the image's node. No other dependency
# needs an install script (esbuild takes its binary from an optional dependency).
RUN npm ci --ignore-scripts && rm -f node_modules/.bin/node

# build:backend compiles the contract into backend/dist/node_modules, where the backend finds it;
# the workspace link to contract/ (TypeScript, not in the runtime image) goes with the dev tools.
COPY --chown=1001:0 . .
RUN npm run build && \
    npm prune --omit=dev --ignore-scripts && \
    rm -r node_modules/@peer-pods-console && \
    npm cache clean --force

# ---- runtime: node, the built output and production dependencies; nothing writable ----
FROM registry.access.redhat.com/ubi9/nodejs-22-minimal:9.8

ARG VERSION=0.1.0
LABEL name="peer-pods-console" \
      version="${VERSION}" \
      summary="OpenShift console plugin and backend for sandboxed containers with peer pods" \
      description="Capacity dashboard, per-node VM limits, the peer-pods mutating webhook, cloud VM inventory and port rules for OpenShift sandboxed containers with peer pods." \
      io.k8s.display-name="Peer Pods Console" \
      io.k8s.description="Console plugin assets, REST API and peer-pods admission webhook for OpenShift sandboxed containers." \
      io.openshift.tags="openshift,console-plugin,sandboxed-containers,peer-pods" \
      io.openshift.expose-services="9001:https,9444:metrics,9443:webhook" \
      org.opencontainers.image.title="peer-pods-console" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"

# Root owns the application files, so the process (UID 1001, or OpenShift's arbitrary UID in
# group 0) can read them but never change them. It writes only to /tmp (an emptyDir in the
# chart), which is also its HOME and npm's cache, so a read-only root filesystem works.
USER 0
WORKDIR /opt/peer-pods-console
COPY --from=build /opt/app-root/src/package.json ./package.json
COPY --from=build /opt/app-root/src/node_modules ./node_modules
COPY --from=build /opt/app-root/src/backend/dist ./backend/dist
COPY --from=build /opt/app-root/src/dist ./dist
COPY backend/bin/start.sh ./backend/bin/start.sh

ENV NODE_ENV=production \
    HOME=/tmp \
    TMPDIR=/tmp \
    NPM_CONFIG_CACHE=/tmp/.npm \
    NPM_CONFIG_UPDATE_NOTIFIER=false

USER 1001
EXPOSE 9001 9444 9443
# start.sh sizes the heap to three quarters of the container's memory limit.
CMD ["/bin/sh", "backend/bin/start.sh"]
