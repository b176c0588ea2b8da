# About 976 MiB of address space: too little for a 1 GiB main stack.
ulimit -v 1000000
exec "$1"
