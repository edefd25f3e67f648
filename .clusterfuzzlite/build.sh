#!/bin/bash -eu
# ClusterFuzzLite entry point: the OSS-Fuzz build script.
exec bash "$SRC/jcodec/fuzz/oss-fuzz/build.sh"
