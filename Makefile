# The README's two commands. Both go through ./install.sh.
.PHONY: notebook test build generate student

notebook:
	./install.sh --open

test:
	./install.sh --test

build:
	go build -o bin/turinglab ./cmd/turinglab

# The student versions of the notebooks (exercise solutions replaced by stubs).
STUDENT_DIR ?= student
student: build
	bin/turinglab course student $(STUDENT_DIR)

# Regenerate the yaegi symbol tables after adding or changing a project package.
generate:
	go generate ./kernel/symbols
