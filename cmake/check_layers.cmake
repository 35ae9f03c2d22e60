# cmake -DROOT=<cpp/headrace> -DRULES="core=|memory=core|transforms=core,memory|..."
#       -DSTAMP=<file> -P check_layers.cmake
#
# Fails, naming each file and include, when code of a folder of cpp/headrace/ includes a
# header of a folder its rule does not list (cpp/headrace/CMakeLists.txt has the rules).
# Writes STAMP when every include is allowed.
set(violations "")
string(REPLACE "|" ";" rules "${RULES}")
foreach(rule IN LISTS rules)
  string(REGEX REPLACE "=.*$" "" folder "${rule}")
  string(REGEX REPLACE "^[^=]*=" "" allowed "${rule}")
  string(REPLACE "," ";" allowed "${allowed}")
  list(APPEND allowed "${folder}")
  file(GLOB_RECURSE sources "${ROOT}/${folder}/*.h" "${ROOT}/${folder}/*.cc")
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" includes REGEX "^#include \"headrace/[a-z_0-9]+/")
    foreach(line IN LISTS includes)
      string(REGEX MATCH "headrace/([a-z_0-9]+)/" _ "${line}")
      set(target "${CMAKE_MATCH_1}")
      # headrace/v1/ is the generated protos' folder, not a layer of cpp/headrace/.
      if(target STREQUAL "v1")
        continue()
      endif()
      list(FIND allowed "${target}" found)
      if(found EQUAL -1)
        file(RELATIVE_PATH where "${ROOT}/../.." "${source}")
        list(JOIN allowed ", " allowed_text)
        string(APPEND violations "\n  ${where}: ${line} (${folder}/ may include only ${allowed_text})")
      endif()
    endforeach()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "includes against the layers of cpp/headrace/:${violations}")
endif()
file(WRITE "${STAMP}" "")
