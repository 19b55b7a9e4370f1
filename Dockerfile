# corral in a container.
#
#   docker build --target runtime -t corral:latest .   # the daemon (compose builds this)
#   docker build --target agents  -t corral:agents .   # plus node/npm and agent CLIs
#
# Stages: build (compiler, -dev packages, make install into /out),
# runtime (only the shared libraries and a few tools; a non-root user),
# agents (runtime plus nodejs/npm; the agent CLIs are installed into the
# /opt/agents volume on first start). `agents` is the last stage, so a
# build without --target gives it: name the target. See README.md,
# "Container", and docker-compose.yml.

ARG DEBIAN_IMAGE=docker.io/library/debian:bookworm-slim

# ---- build -----------------------------------------------------------------
FROM ${DEBIAN_IMAGE} AS build
# the package lists are not in the image: update first
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	gcc libc6-dev make pkg-config \
	libevent-dev libcjson-dev libcap-ng-dev libssl-dev libsqlite3-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# only what the build reads, so a change to tests or docs prose does not
# recompile (and .dockerignore keeps build*/, var/ and secrets out anyway)
COPY Makefile VERSION ./
COPY common/ common/
COPY master/ master/
COPY workers/ workers/
COPY ctl/ ctl/
COPY conf/corral.conf conf/
COPY docs/corral.8 docs/corral.conf.5 docs/corralctl.1 docs/
RUN make -j2 all \
 && make install PREFIX=/usr/local DESTDIR=/out
COPY docker/entrypoint.sh docker/healthcheck.sh docker/agents-entrypoint.sh docker/
RUN install -m 0755 docker/entrypoint.sh /out/usr/local/bin/corral-entrypoint \
 && install -m 0755 docker/healthcheck.sh /out/usr/local/bin/corral-healthcheck \
 && install -m 0755 docker/agents-entrypoint.sh /out/usr/local/bin/corral-agents-entrypoint

# ---- runtime ---------------------------------------------------------------
FROM ${DEBIAN_IMAGE} AS runtime
ARG CORRAL_UID=10001
ARG CORRAL_GID=10001
# libevent-2.1-7 (libevent-2.1.so.7), libcjson1, libcap-ng0, libssl3
# (libcrypto: the secrets store, in corral and the secrets worker),
# libsqlite3-0; tini is PID 1. The engines worker has its own HTTP
# client: no libcurl.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	libevent-2.1-7 libcjson1 libcap-ng0 libssl3 libsqlite3-0 \
	bash ripgrep procps git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid "$CORRAL_GID" corral \
 && useradd --uid "$CORRAL_UID" --gid corral --no-create-home \
	--home-dir /var/lib/corral --shell /usr/sbin/nologin corral \
 && install -d -o corral -g corral -m 0750 /var/lib/corral /workspace
COPY --from=build /out/usr/local/ /usr/local/
LABEL org.opencontainers.image.title="corral" \
      org.opencontainers.image.description="control plane of one AI/GPU host" \
      org.opencontainers.image.licenses="MIT"
ENV CORRAL_BIND=0.0.0.0:4000 \
    CORRAL_STATE_ROOT=/var/lib/corral/state \
    CORRAL_WORKSPACE_ROOT=/workspace \
    CORRAL_HTTP_AUTH_MODE=bearer \
    CORRAL_MCP_DISCOVERY=disabled \
    CORRAL_USER=corral
WORKDIR /var/lib/corral
VOLUME ["/var/lib/corral", "/workspace"]
EXPOSE 4000
USER corral
# GET /healthz on the port of CORRAL_BIND, with bash's /dev/tcp (no curl)
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
	CMD ["/usr/local/bin/corral-healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/corral-entrypoint"]
CMD []

# ---- agents ----------------------------------------------------------------
# runtime plus Node.js and npm (Debian's); the agent CLIs in AGENT_CLIS are
# installed with npm into /opt/agents (a volume) on the first start when
# missing, so the image stays small and an upgrade is "remove the volume".
FROM runtime AS agents
USER root
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	nodejs npm \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o corral -g corral -m 0755 /opt/agents
ARG AGENT_CLIS="@openai/codex @google/gemini-cli @anthropic-ai/claude-code @iflow-ai/iflow-cli"
ENV AGENT_CLIS=${AGENT_CLIS} \
    NPM_CONFIG_PREFIX=/opt/agents \
    NPM_CONFIG_CACHE=/opt/agents/.npm \
    PATH=/opt/agents/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CORRAL_SKILLS_AGENT_PATH=/opt/agents/bin:/usr/local/bin:/usr/bin:/bin
VOLUME ["/opt/agents"]
USER corral
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/corral-agents-entrypoint"]
CMD []
