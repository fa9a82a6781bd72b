#!/usr/bin/env bash
# The KVM documentation of the work tree, built with Sphinx as
# "make htmldocs" builds it (Documentation/virt only, which holds every
# file the series touches): any Sphinx warning or error fails the check.
. "$(dirname "$0")/lib.sh"

out=$OUT/docs
log=$(mktemp)
trap 'rm -f "$log"' EXIT
make -C "$TREE" O="$out" SPHINXDIRS=virt htmldocs >"$log" 2>&1 || { cat "$log"; die "htmldocs failed"; }
# The kernel's Sphinx setup asks for graphviz with a WARNING of its own;
# nothing in Documentation/virt draws a graph.
if grep -E 'WARNING|ERROR' "$log" | grep -v 'dot(1) not found'; then
	die "Sphinx reported the problems above in Documentation/virt"
fi
say "Documentation/virt builds without warnings ($out/Documentation/output/virt)"
