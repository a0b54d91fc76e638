# find_package(berth): the target berth::berth (libberth.so and the headers under include/berth).
include("${CMAKE_CURRENT_LIST_DIR}/berth-targets.cmake")
