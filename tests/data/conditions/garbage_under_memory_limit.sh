# About 1.4 GiB of address space: room for the 1 GiB main stack, and far less than the
# program allocates in all, so it finishes only if the collector frees its garbage.
ulimit -v 1500000
exec "$1"
