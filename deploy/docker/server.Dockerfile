# The server image: `cdiff serve` (HTTP API and dashboard, port 8080). CPU only: it schedules work, the
# workers run the models. Build from the repository root:
#   docker build -f deploy/docker/server.Dockerfile -t cdiff-server .
#
# .NET 10 publishes no Debian images (its images are Ubuntu 24.04), so the SDK is copied out of the
# official SDK image into Debian 12, where the native shim builds against Debian's libtorch-dev 1.13 the
# same way deploy/local/install-deps.sh sets up a development machine.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS dotnet-sdk

FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates cmake g++ make libtorch-dev \
 && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet-sdk /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/local/bin/dotnet
# No ICU in this image; the projects run with InvariantGlobalization anyway.
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src
# The whole checkout, less what .dockerignore leaves out (host build outputs, .local, .git): projects
# reference each other across src/ and other top-level folders.
COPY . .
# Self-contained: the runtime image needs no .NET runtime. The Torch project runs CMake for the shim
# (src/native/cdtorch) during the build and ships libcdtorch.so next to the program.
RUN dotnet publish src/ContextDiffusion.Cli -c Release -r linux-x64 --self-contained -o /app

FROM debian:bookworm-slim
# Run-time libraries only: libtorch (the shim links it), OpenBLAS instead of the reference BLAS, libvips.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libtorch1.13 libopenblas0-openmp libvips42 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app cdiff
COPY --from=build /app /app
# Server:Urls decides where the server listens (ASPNETCORE_URLS would be overridden by it).
ENV Server__Urls=http://0.0.0.0:8080 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
USER cdiff
EXPOSE 8080
ENTRYPOINT ["/app/cdiff"]
CMD ["serve"]
