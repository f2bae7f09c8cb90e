# The README's two commands. Both go through ./install.sh.
.PHONY: notebook test build generate

notebook:
	./install.sh --open

test:
	./install.sh --test

build:
	go build -o bin/turinglab ./cmd/turinglab

# Regenerate the yaegi symbol tables after adding or changing a project package.
generate:
	go generate ./kernel/symbols
