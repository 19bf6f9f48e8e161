# The two commands README starts with: `make demo` and `make test`. Both install what they need.
.PHONY: deps build test demo

deps:
	bash deploy/local/install-deps.sh

build: deps
	dotnet build ContextDiffusion.Pipeline.sln --nologo -v quiet

test: build
	bash deploy/local/run-tests.sh

demo: deps
	bash deploy/local/demo.sh
