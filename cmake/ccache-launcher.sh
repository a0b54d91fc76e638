#!/bin/sh
# ccache-launcher.sh CCACHE SOURCE_DIR COMPILER ARGS...: the compiler launcher that
# cmake/BuildSpeed.cmake installs. Paths under SOURCE_DIR are made relative before hashing,
# so that another checkout of the same commit in another folder hits the same cache entries;
# the cache is bounded (CCACHE_MAXSIZE, 2 GB unless set). Depend mode takes the headers a file
# includes from the compiler's -MD output instead of running the preprocessor on every miss. The
# precompiled headers are hashed by content; the sloppiness lets ccache use them at all.
ccache="$1"
CCACHE_BASEDIR="$2"
CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-2G}"
CCACHE_DEPEND="${CCACHE_DEPEND:-true}"
CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros}"
export CCACHE_BASEDIR CCACHE_MAXSIZE CCACHE_DEPEND CCACHE_SLOPPINESS
shift 2
exec "$ccache" "$@"
