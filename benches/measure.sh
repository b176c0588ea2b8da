# Timing helpers for the benchmark scripts that compare builds run after run
# (`vs_go.sh`, `compare.sh`); sourced, with `$work` set to a scratch directory.

# Appends "microseconds peak_kb" for one run of "$@" to file $1: wall time from the clock
# around the run (/usr/bin/time counts hundredths of a second, coarse for toyc's builds),
# peak memory (maximum resident set) from /usr/bin/time.
measure() {
    local out=$1
    shift
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$work/mem" "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo "$(((end - start) / 1000)) $(cat "$work/mem")" >>"$out"
}

# Prints the median wall time (microseconds) and the largest peak memory (KB) of the runs
# in file $1.
median_of() {
    sort -n "$1" | awk '{ t[NR] = $1; if ($2 > m) m = $2 }
        END { printf "%d %d\n", t[int((NR + 1) / 2)], m }'
}
