// The one source of the precompiled-header targets of cmake/BuildSpeed.cmake: CMake compiles
// their headers only for a target with a source file.
