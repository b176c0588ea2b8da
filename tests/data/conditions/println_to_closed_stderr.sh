# fd 5 is a pipe with no reader, so a write to it fails with EPIPE (and raises SIGPIPE):
# a FIFO opened for reading and writing, then for writing, then closed for reading.
mkfifo pipe
exec 4<>pipe 5>pipe 4<&-
exec "$1" 2>&5 5>&-
