# The worker image: `cdiff worker` (generation and training on one NVIDIA GPU). Build from the repository
# root:
#   docker build -f deploy/docker/worker.Dockerfile -t cdiff-worker .
#
# The native shim builds against the libtorch inside the PyTorch package of an official PyTorch CUDA image
# (CMAKE_PREFIX_PATH from torch.utils.cmake_prefix_path). The devel image has the CUDA toolkit that
# libtorch's CMake config looks for; the runtime image has the same torch at the same path, which the
# shim's RPATH points at. Pick a tag whose CUDA the hosts' NVIDIA driver supports.
ARG PYTORCH_TAG=2.9.0-cuda12.8-cudnn9

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS dotnet-sdk

FROM pytorch/pytorch:${PYTORCH_TAG}-devel AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates cmake g++ make \
 && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet-sdk /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/local/bin/dotnet
# No ICU in this image; the projects run with InvariantGlobalization anyway. No GPU while building:
# name the architecture (H100/H200) so that libtorch's CMake config does not try to detect one.
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
    TORCH_CUDA_ARCH_LIST=9.0
WORKDIR /src
# The whole checkout, less what .dockerignore leaves out (host build outputs, .local, .git): projects
# reference each other across src/ and other top-level folders.
COPY . .
RUN CMAKE_PREFIX_PATH="$(python -c 'import torch; print(torch.utils.cmake_prefix_path)')" \
    dotnet publish src/ContextDiffusion.Cli -c Release -r linux-x64 --self-contained -o /app

FROM pytorch/pytorch:${PYTORCH_TAG}-runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libvips42 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app cdiff
COPY --from=build /app /app
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
USER cdiff
ENTRYPOINT ["/app/cdiff"]
CMD ["worker"]
