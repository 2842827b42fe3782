# Sourced by the scripts: configures and builds one CMake preset quietly, showing the
# end of the log only when it fails.
#   build_preset PRESET [cmake --build arguments...]
build_preset() {
  local preset=$1; shift
  local log="build/$preset.log"
  mkdir -p build
  if ! { cmake --preset "$preset" && cmake --build --preset "$preset" "$@"; } >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "$preset: the build failed (full log: $log)"
    return 1
  fi
}
