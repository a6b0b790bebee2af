# sluice_bpf_skeleton(NAME SOURCE): compiles SOURCE with clang -target bpf and generates
# NAME.skel.h with bpftool into the build tree. Both steps re-run when the source or any
# header under bpf/include changes. Produces an INTERFACE target sluice_bpf_NAME whose include
# path holds the skeleton.
find_program(SLUICE_CLANG NAMES clang clang-14 REQUIRED)
find_program(SLUICE_BPFTOOL NAMES bpftool PATHS /usr/sbin /usr/local/sbin REQUIRED)
execute_process(COMMAND uname -m OUTPUT_VARIABLE SLUICE_ARCH OUTPUT_STRIP_TRAILING_WHITESPACE)
if(SLUICE_ARCH STREQUAL "x86_64")
  set(SLUICE_BPF_ARCH x86)
elseif(SLUICE_ARCH STREQUAL "aarch64")
  set(SLUICE_BPF_ARCH arm64)
else()
  set(SLUICE_BPF_ARCH ${SLUICE_ARCH})
endif()

function(sluice_bpf_skeleton name source)
  set(out_dir ${CMAKE_BINARY_DIR}/bpf)
  set(obj ${out_dir}/${name}.bpf.o)
  set(skel ${out_dir}/${name}.skel.h)
  file(GLOB_RECURSE shared_headers CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/bpf/include/*.h
       ${CMAKE_SOURCE_DIR}/bpf/*.bpf.h)
  add_custom_command(
    OUTPUT ${obj}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND ${SLUICE_CLANG} -g -O2 -target bpf -D__TARGET_ARCH_${SLUICE_BPF_ARCH}
            -Wall -Werror -I${CMAKE_SOURCE_DIR}/bpf/include
            -I/usr/include/${SLUICE_ARCH}-linux-gnu
            -c ${CMAKE_CURRENT_SOURCE_DIR}/${source} -o ${obj}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${source} ${shared_headers}
    COMMENT "BPF ${source}"
    VERBATIM)
  add_custom_command(
    OUTPUT ${skel}
    COMMAND sh -c "${SLUICE_BPFTOOL} gen skeleton ${obj} name ${name}_bpf > ${skel}.tmp && mv ${skel}.tmp ${skel}"
    DEPENDS ${obj}
    COMMENT "skeleton ${name}.skel.h"
    VERBATIM)
  add_custom_target(sluice_bpf_${name}_gen DEPENDS ${skel})
  add_library(sluice_bpf_${name} INTERFACE)
  add_dependencies(sluice_bpf_${name} sluice_bpf_${name}_gen)
  # Generated skeletons are third-party-style code (C casts): include them as SYSTEM.
  target_include_directories(sluice_bpf_${name} SYSTEM INTERFACE ${out_dir})
  target_include_directories(sluice_bpf_${name} INTERFACE ${CMAKE_SOURCE_DIR}/bpf/include)
endfunction()
