#!/bin/bash
# The workload of context.log: a marked script whose child execs, a background child it kills, then context.py.
/bin/true vigil-context-child
/bin/sleep 5 &
kill -TERM $!
wait
/usr/bin/python3 "$(dirname "$0")/context.py" vigil-context-python
