# About 1.4 GiB of address space: room for the 1 GiB main stack, so only the heap runs out.
ulimit -v 1500000
exec "$1"
