# Standard input is a file opened for reading and writing; whatever the program writes
# to it is shown on standard output afterwards.
# About 1.4 GiB of address space: room for the 1 GiB main stack, so only the heap runs out.
ulimit -v 1500000
"$1" 0<>stdin
status=$?
cat stdin
exit $status
